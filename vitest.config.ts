import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Mirrors tsconfig.json "paths".
    alias: [
      { find: /^~search\//, replacement: fileURLToPath(new URL("./search/", import.meta.url)) },
      { find: /^~\//, replacement: fileURLToPath(new URL("./app/", import.meta.url)) },
    ],
  },
  test: {
    environment: "node",
    setupFiles: ["tests/setup/fail-on-console-error.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.{ts,tsx}"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          // Only this project starts the servers, so `vitest --project unit` needs none.
          globalSetup: ["tests/setup/global-setup.ts"],
          setupFiles: ["tests/setup/test-env.ts"],
          // The files share one database and one search engine: one file at a time.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});

import net from "node:net";
import { defineConfig } from "@playwright/test";
import { ensureChromium } from "./tests/setup/chromium";

// The config is evaluated before globalSetup and again in every worker, so the app's port is
// chosen here once and handed on through the environment (workers inherit it).
if (!process.env.E2E_BASE_URL) {
  const port = await findFreePort();
  process.env.E2E_PORT = String(port);
  process.env.E2E_BASE_URL = `http://localhost:${port}`;
} else if (!process.env.E2E_PORT) {
  // A base URL given by the caller: test that server, start nothing.
  process.env.E2E_EXTERNAL_SERVER = "1";
}

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/e2e",
  globalSetup: "./tests/setup/e2e-global-setup.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: ensureChromium(),
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium" }],
});

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ port: 0, exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("Could not find a free port."))));
    });
  });
}

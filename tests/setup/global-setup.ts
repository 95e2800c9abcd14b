/**
 * vitest globalSetup of the integration project: real PostgreSQL and Meilisearch for the run,
 * handed to the test workers through `provide` (test-env.ts copies them into process.env).
 */
import type { TestProject } from "vitest/node";
import { startTestServices } from "./services";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  const services = await startTestServices({ databaseName: "enlace_test" });
  const external = [process.env.TEST_DATABASE_URL && "TEST_DATABASE_URL", process.env.TEST_MEILI_URL && "TEST_MEILI_URL"].filter(Boolean);
  console.log(
    `[test services] PostgreSQL and Meilisearch ready and migrated in ${Math.round(performance.now() - started)} ms` +
      (external.length ? ` (external: ${external.join(", ")})` : ""),
  );
  project.provide("DATABASE_URL", services.databaseUrl);
  project.provide("DATABASE_ADMIN_URL", services.databaseAdminUrl);
  project.provide("MEILI_URL", services.meiliUrl);
  project.provide("MEILI_MASTER_KEY", services.meiliMasterKey);
  project.provide("MEILI_INDEX_PREFIX", services.meiliIndexPrefix);
  return () => services.stop();
}

declare module "vitest" {
  // Declaration merging (what makes inject() typed) only works on interfaces.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    DATABASE_URL: string;
    DATABASE_ADMIN_URL: string;
    MEILI_URL: string;
    MEILI_MASTER_KEY: string;
    MEILI_INDEX_PREFIX: string;
  }
}

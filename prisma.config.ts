import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's native schema engine cannot be downloaded on offline machines, and `prisma generate`
// only needs some file at PRISMA_SCHEMA_ENGINE_BINARY (the prisma-client generator needs no native
// engine). Where a real engine was downloaded, it is left alone so `prisma migrate` keeps working.
const enginesDir = path.resolve("node_modules/@prisma/engines");
const hasNativeSchemaEngine =
  existsSync(enginesDir) && readdirSync(enginesDir).some((name) => name.startsWith("schema-engine"));
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY && !hasNativeSchemaEngine) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = path.resolve("package.json");
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/enlace" },
});

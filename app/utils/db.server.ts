import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "~/utils/env.server";

function createPrismaClient() {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    throw new Error("DATABASE_URL is not set: the boot sequence must start or name a database first");
  }
  const client = new PrismaClient({
    adapter: new PrismaPg({ connectionString: env.DATABASE_URL }),
    log: [{ level: "query", emit: "event" }],
  });
  client.$on("query", (event) => {
    if (event.duration >= env.SLOW_QUERY_MS) {
      console.warn(`[db] slow query (${event.duration} ms): ${event.query.slice(0, 500)}`);
    }
  });
  return client;
}

type AppPrismaClient = ReturnType<typeof createPrismaClient>;

// Kept on globalThis so `remix dev` rebuilds reuse one pool instead of leaking connections.
const globalForPrisma = globalThis as typeof globalThis & { __enlacePrisma?: AppPrismaClient };

export function getPrisma(): AppPrismaClient {
  globalForPrisma.__enlacePrisma ??= createPrismaClient();
  return globalForPrisma.__enlacePrisma;
}

export async function disconnectPrisma() {
  await globalForPrisma.__enlacePrisma?.$disconnect();
  globalForPrisma.__enlacePrisma = undefined;
}

export type TransactionClient = Parameters<Parameters<AppPrismaClient["$transaction"]>[0]>[0];

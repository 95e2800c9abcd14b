import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export type ScratchDatabase = {
  url: string;
  name: string;
  /** Drops the database, closing connections still open to it. */
  drop(): Promise<void>;
};

/**
 * An empty database on the test server, for tests that need a schema of their own (migrations,
 * imports into an empty system). Integration tests only: it reads what global-setup.ts provides.
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const adminUrl = inject("DATABASE_ADMIN_URL");
  const name = `scratch_${randomBytes(6).toString("hex")}`;
  await withAdminClient(adminUrl, (client) => client.query(`create database ${client.escapeIdentifier(name)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdminClient(adminUrl, (client) => client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`)),
  };
}

async function withAdminClient(adminUrl: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

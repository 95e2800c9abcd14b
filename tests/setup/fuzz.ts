// Hostile-input fuzzing of loaders and actions (tests/integration/fuzz-*.test.ts): fast-check
// arbitraries for form fields and query strings, an in-process call that sorts the answer into
// "fine" or "failure", and a cheap signature of the database to prove a refused input wrote nothing.
import fc from "fast-check";
import pg from "pg";
import { expect } from "vitest";
import { getPrisma } from "~/utils/db.server";
import { uniqueIp } from "../factories/users";

export const RUNS_PER_TARGET = 1000;

// ---------------------------------------------------------------------------------------
// Strings

const OVERSIZED = ["x".repeat(100_000), "é".repeat(100_000), "🙂".repeat(50_000), `${"a ".repeat(60_000)}`];

export const INJECTIONS = [
  // SQL
  "' OR '1'='1",
  "'; DROP TABLE offer; --",
  '" OR 1=1 --',
  "1; SELECT pg_sleep(5)",
  "$1",
  "\\'",
  // HTML and URLs
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "//evil.example",
  "https://evil.example/",
  "/\\evil.example",
  "\r\nSet-Cookie: hijack=1",
  "../../../../etc/passwd",
  "%00%0d%0a",
  // Meilisearch filter syntax
  'status = draft OR status = published',
  'organizationId != "" OR status EXISTS',
  '_geoRadius(0, 0, 1)',
  'theme IN ["x"] OR 1 = 1',
  '"',
  "\\",
  "*",
  // Unicode
  "\u0000",
  "a\u0000b",
  "\u202eevil\u202c",
  "مرحبا بالعالم",
  "שלום עולם",
  "👩🏽‍🚀🎉🇧🇷",
  "\ud800",
  "e\u0301\u200b\ufeff",
  "Ｆｕｌｌｗｉｄｔｈ",
  // Types and prototype keys
  "null",
  "undefined",
  "NaN",
  "-1",
  "0",
  "1e309",
  "99999999999999999999999",
  "-0",
  "true",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "0x10",
  " ",
  "",
];

/** Text a hostile client might send in any field. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.constantFrom(...OVERSIZED) },
  );
}

/** A field's value: mostly valid-looking (from `valid`), often hostile. */
export function fieldValue(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: hostileString() });
}

export function uuidLike(known: string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.uuid(),
    fc.constant("00000000-0000-0000-0000-000000000000"),
    ...(known.length > 0 ? [fc.constantFrom(...known)] : []),
  );
}

export function dateLike(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.date({ min: new Date("1900-01-01"), max: new Date("2200-01-01"), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
    fc.constantFrom("2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31", "2026-1-1", "2026-01-01T00:00"),
  );
}

export type FieldSpec = Record<string, fc.Arbitrary<string>>;
export type Entries = Array<[string, string]>;

/**
 * A form or query string: each known field absent, once or repeated (duplicated fields), its
 * values valid-looking or hostile, plus unknown fields with hostile names.
 */
export function entriesArbitrary(fields: FieldSpec): fc.Arbitrary<Entries> {
  return fc.oneof(chaoticEntries(fields), nearlyValidEntries(fields));
}

/** Every field once with a valid-looking value, then at most two of them broken: deep paths get exercised. */
function nearlyValidEntries(fields: FieldSpec): fc.Arbitrary<Entries> {
  const names = Object.keys(fields);
  const valid = fc.tuple(...names.map((name) => (fields[name] ?? fc.constant("")).map((value): [string, string] => [name, value])));
  const breakage = fc.array(
    fc.tuple(fc.nat({ max: Math.max(0, names.length - 1) }), fc.constantFrom("hostile", "drop", "duplicate"), hostileString()),
    { maxLength: 2 },
  );
  return fc.tuple(valid, breakage).map(([entries, breaks]) => {
    let result: Entries = [...entries];
    for (const [index, kind, value] of breaks) {
      const name = names[index];
      if (name === undefined) continue;
      if (kind === "drop") result = result.filter(([field]) => field !== name);
      else if (kind === "duplicate") result.push([name, value]);
      else result = result.map(([field, current]): [string, string] => [field, field === name ? value : current]);
    }
    return result;
  });
}

function chaoticEntries(fields: FieldSpec): fc.Arbitrary<Entries> {
  const known = Object.entries(fields).map(([name, valid]) =>
    fc
      .oneof(
        { weight: 1, arbitrary: fc.constant<string[]>([]) },
        { weight: 5, arbitrary: fieldValue(valid).map((value) => [value]) },
        { weight: 1, arbitrary: fc.array(fieldValue(valid), { minLength: 2, maxLength: 3 }) },
      )
      .map((values): Entries => values.map((value) => [name, value])),
  );
  const extra = fc.array(fc.tuple(fc.oneof(fc.constantFrom("__proto__", "constructor", "intent", "_data", "redirectTo"), fc.string({ maxLength: 12 })), hostileString()), {
    maxLength: 2,
  });
  return fc.tuple(fc.tuple(...known), extra).map(([groups, extras]) => [...groups.flat(), ...extras]);
}

// ---------------------------------------------------------------------------------------
// Calling

type RouteFunction = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

export type FuzzCall = {
  route: RouteFunction;
  method: "GET" | "POST";
  path: string;
  params?: Record<string, string>;
  entries: Entries;
  cookie?: string;
  /** Send the form as multipart/form-data (what a file upload sends). */
  multipart?: boolean;
  /** A file field and its contents, for upload forms. */
  file?: { field: string; name: string; contents: string; type: string };
};

export type FuzzAnswer = { status: number; thrown: boolean };

/** Calls in-process; an error that is not a Response fails the property (a 500 in production). */
export async function fuzzCall(call: FuzzCall): Promise<FuzzAnswer> {
  const url = new URL(`http://localhost${call.path}`);
  let body: BodyInit | undefined;
  if (call.method === "GET") {
    for (const [name, value] of call.entries) url.searchParams.append(name, value);
  } else if (call.multipart || call.file) {
    const form = new FormData();
    for (const [name, value] of call.entries) form.append(name, value);
    if (call.file) form.append(call.file.field, new File([call.file.contents], call.file.name, { type: call.file.type }));
    body = form;
  } else {
    body = new URLSearchParams(call.entries);
  }
  const request = new Request(url, { method: call.method, body, headers: call.cookie ? { Cookie: call.cookie } : {} });
  try {
    const result = await call.route({ request, params: call.params ?? {}, context: { clientIp: uniqueIp() } });
    if (result instanceof Response) {
      // The body is part of the answer: a stream that fails while it is read is a 500 too.
      await result.arrayBuffer();
      return { status: result.status, thrown: false };
    }
    return { status: 200, thrown: false };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, thrown: true };
    throw thrown;
  }
}

// ---------------------------------------------------------------------------------------
// What a refused input may not change

let signatureSql: string | undefined;

/** Tables whose rows a refused input writes on purpose (throttling counts the attempt). */
const EXPECTED_ON_REFUSAL = new Set(["login_throttle", "_prisma_migrations", "schema_migrations"]);

async function buildSignatureSql(): Promise<string> {
  const prisma = getPrisma();
  const tables = await prisma.$queryRaw<Array<{ table_name: string; has_updated_at: boolean }>>`
    select t.table_name::text as table_name,
           exists (select 1 from information_schema.columns c
                   where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'updated_at') as has_updated_at
    from information_schema.tables t
    where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
    order by t.table_name`;
  const parts = tables
    .filter((table) => !EXPECTED_ON_REFUSAL.has(table.table_name))
    .map((table) => {
      const name = `"${table.table_name.replaceAll('"', '""')}"`;
      // Milliseconds since the epoch: no spaces, so the signature splits into one part per table.
      const updated = table.has_updated_at
        ? ` || ':' || coalesce((select floor(extract(epoch from max(updated_at)) * 1000)::bigint::text from ${name}), '')`
        : "";
      return `'${table.table_name}=' || (select count(*) from ${name})::text${updated}`;
    });
  parts.push(`'jobs=' || (select count(*) from graphile_worker._private_jobs)::text`);
  return `select concat_ws(' ', ${parts.join(", ")}) as signature`;
}

/** Row counts (and last updates) of every table: equal before and after means nothing was written. */
export async function databaseSignature(client?: pg.Client): Promise<string> {
  signatureSql ??= await buildSignatureSql();
  if (client) {
    const result = await client.query<{ signature: string }>(signatureSql);
    return result.rows[0]?.signature ?? "";
  }
  const rows = await getPrisma().$queryRawUnsafe<Array<{ signature: string }>>(signatureSql);
  return rows[0]?.signature ?? "";
}

/**
 * Keeps a view of the database as it was before a call, for next to nothing: a repeatable-read
 * transaction on a connection of its own holds the snapshot, and the next transaction id tells
 * whether anything wrote since. Only then are the tables counted, in the old snapshot and now.
 */
export class WriteWatcher {
  #client: pg.Client | undefined;

  async #connection(): Promise<pg.Client> {
    if (!this.#client) {
      const url = process.env.DATABASE_URL;
      if (!url) throw new Error("DATABASE_URL is not set");
      this.#client = new pg.Client({ connectionString: url });
      await this.#client.connect();
    }
    return this.#client;
  }

  async begin(): Promise<string> {
    const client = await this.#connection();
    await client.query("begin isolation level repeatable read read only");
    const result = await client.query<{ next: string }>("select pg_snapshot_xmax(pg_current_snapshot())::text as next");
    return result.rows[0]?.next ?? "";
  }

  /** What changed since begin(), or null when nothing did. Ends the snapshot. */
  async changesSince(next: string): Promise<string | null> {
    const client = await this.#connection();
    try {
      const now = await getPrisma().$queryRaw<Array<{ next: string }>>`select pg_snapshot_xmax(pg_current_snapshot())::text as next`;
      if (now[0]?.next === next) return null;
      // A transaction id was used: maybe a write rolled back (fine), maybe one committed.
      const [before, after] = await Promise.all([databaseSignature(client), databaseSignature()]);
      return before === after ? null : differences(before, after);
    } finally {
      await client.query("commit");
    }
  }

  async end(): Promise<void> {
    const client = await this.#connection();
    await client.query("commit");
  }

  async close(): Promise<void> {
    await this.#client?.end();
    this.#client = undefined;
  }
}

function differences(before: string, after: string): string {
  const left = new Map(before.split(" ").map((part) => [part.split("=")[0], part]));
  return after
    .split(" ")
    .filter((part) => left.get(part.split("=")[0]) !== part)
    .map((part) => `${left.get(part.split("=")[0])} -> ${part}`)
    .join(", ");
}

// ---------------------------------------------------------------------------------------
// The property

export type FuzzReport = { runs: number; statuses: Record<number, number>; milliseconds: number };

/** JSON of a counterexample with long strings cut, so a 100k-character input does not flood the log. */
function shortJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "string" && item.length > 120 ? `${item.slice(0, 60)}…(${item.length} chars)` : item,
  );
}

/** FUZZ_SEED (and FUZZ_PATH) from a failure's message replay its inputs; run that one test alone. */
function replayParameters(): { seed?: number; path?: string } {
  const seed = process.env.FUZZ_SEED;
  if (seed === undefined || seed === "") return {};
  if (!/^-?\d+$/.test(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(seed)}`);
  const path = process.env.FUZZ_PATH;
  return path ? { seed: Number(seed), path } : { seed: Number(seed) };
}

/**
 * Sends `numRuns` generated inputs; each must answer below 500 (a thrown Response counts as an
 * answer; any other error fails) and, when refused (4xx), leave every table as it was.
 */
export async function fuzzTarget<Input>({
  name,
  input,
  toCall,
  numRuns = RUNS_PER_TARGET,
}: {
  name: string;
  input: fc.Arbitrary<Input>;
  toCall: (input: Input) => FuzzCall | Promise<FuzzCall>;
  numRuns?: number;
}): Promise<FuzzReport> {
  const statuses: Record<number, number> = {};
  let runs = 0;
  let signatureMilliseconds = 0;
  const started = performance.now();
  const watcher = new WriteWatcher();
  const details = await fc
    .check(
      fc.asyncProperty(input, async (generated) => {
        const call = await toCall(generated);
        let mark = performance.now();
        const next = await watcher.begin();
        signatureMilliseconds += performance.now() - mark;
        let answer: FuzzAnswer;
        try {
          answer = await fuzzCall(call);
        } catch (error) {
          await watcher.end();
          throw error;
        }
        runs++;
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        mark = performance.now();
        const changes = answer.status >= 400 ? await watcher.changesSince(next) : (await watcher.end(), null);
        signatureMilliseconds += performance.now() - mark;
        if (answer.status >= 500) throw new Error(`${name}: answered ${answer.status}`);
        if (changes !== null) throw new Error(`${name}: a refused input (${answer.status}) wrote to the database: ${changes}`);
      }),
      { numRuns, interruptAfterTimeLimit: 240_000, markInterruptAsFailure: true, ...replayParameters() },
    )
    .finally(() => watcher.close());
  if (details.failed) {
    const error = details.errorInstance;
    const cause = error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw new Error(
      `${name}: property failed after ${details.numRuns} inputs (seed ${details.seed}, path "${details.counterexamplePath}")\n` +
        `replay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} npx vitest run <this file> -t "<this test>"\n` +
        `counterexample: ${shortJson(details.counterexample)}\ncause: ${cause.slice(0, 3000)}`,
    );
  }
  const report = { runs, statuses, milliseconds: Math.round(performance.now() - started) };
  console.info(
    `[fuzz] ${name}: ${details.numRuns} inputs in ${report.milliseconds} ms (${Math.round(signatureMilliseconds)} ms of it checking the database); answers ${JSON.stringify(statuses)}`,
  );
  return report;
}

// ---------------------------------------------------------------------------------------
// Unhandled rejections fail the file

const unhandled: unknown[] = [];

export function watchUnhandledRejections(): { assertNone(): void } {
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", listener);
  return {
    assertNone() {
      process.off("unhandledRejection", listener);
      expect(unhandled.map((reason) => (reason instanceof Error ? reason.stack : String(reason)))).toEqual([]);
    },
  };
}

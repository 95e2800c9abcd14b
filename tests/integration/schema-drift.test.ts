// Migrations are written by hand (docs/decisions/001-offline-migrations.md), so this proves that
// applying them gives exactly the database schema.prisma describes, read from Prisma's own DMMF.
import { readFileSync } from "node:fs";
import path from "node:path";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { z } from "zod";
import {
  COST_SHARING_CODES,
  LANGUAGE_CODES,
  MODALITY_CODES,
  OFFER_STATUS_CODES,
  ORGANIZATION_TYPE_CODES,
  REQUEST_STATUS_CODES,
  THEME_CODES,
} from "~/schemas/vocabulary";
import { applyMigrations } from "~/utils/migrate.server";
import { createScratchDatabase, type ScratchDatabase } from "../setup/database";

// ---------------------------------------------------------------------------------------
// What schema.prisma declares

const fieldSchema = z.object({
  name: z.string(),
  dbName: z.string().nullish(),
  kind: z.enum(["scalar", "object", "enum", "unsupported"]),
  isList: z.boolean(),
  isRequired: z.boolean(),
  hasDefaultValue: z.boolean(),
  type: z.string(),
  nativeType: z.tuple([z.string(), z.array(z.string())]).nullish(),
  default: z.unknown().optional(),
  relationFromFields: z.array(z.string()).optional(),
  relationToFields: z.array(z.string()).optional(),
  relationOnDelete: z.string().optional(),
  relationOnUpdate: z.string().optional(),
});
type DmmfField = z.infer<typeof fieldSchema>;

const dmmfSchema = z.object({
  datamodel: z.object({
    enums: z.array(
      z.object({
        name: z.string(),
        dbName: z.string().nullish(),
        values: z.array(z.object({ name: z.string(), dbName: z.string().nullish() })),
      }),
    ),
    models: z.array(
      z.object({
        name: z.string(),
        dbName: z.string().nullish(),
        fields: z.array(fieldSchema),
        primaryKey: z.object({ name: z.string().nullish(), fields: z.array(z.string()) }).nullish(),
      }),
    ),
    indexes: z.array(
      z.object({
        model: z.string(),
        type: z.enum(["id", "unique", "normal", "fulltext"]),
        dbName: z.string().nullish(),
        algorithm: z.string().nullish(),
        fields: z.array(z.object({ name: z.string() })),
      }),
    ),
  }),
});
type Datamodel = z.infer<typeof dmmfSchema>["datamodel"];
type DmmfModel = Datamodel["models"][number];

function loadDatamodel(): Datamodel {
  const schemaPath = path.resolve("prisma/schema.prisma");
  const dmmf: unknown = JSON.parse(
    get_dmmf(JSON.stringify({ prismaSchema: [[schemaPath, readFileSync(schemaPath, "utf8")]] })),
  );
  return dmmfSchema.parse(dmmf).datamodel;
}

// ---------------------------------------------------------------------------------------
// What the migrated database has

type DbColumn = { table: string; column: string; type: string; enumName: string | null; notNull: boolean; default: string | null };
type DbForeignKey = {
  table: string;
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
};
type DbIndex = { table: string; name: string; columns: string[]; unique: boolean; primary: boolean; method: string };
type DbSchema = {
  tables: string[];
  columns: DbColumn[];
  enums: Map<string, string[]>;
  foreignKeys: DbForeignKey[];
  indexes: DbIndex[];
};

async function readDbSchema(client: pg.Client): Promise<DbSchema> {
  const tables = await client.query<{ table: string }>(
    `SELECT relname::text AS table FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND relname <> '_prisma_migrations'
      ORDER BY relname`,
  );
  const columns = await client.query<DbColumn>(
    `SELECT c.relname::text AS table, a.attname::text AS column,
            format_type(a.atttypid, a.atttypmod) AS type,
            CASE WHEN base.typtype = 'e' THEN base.typname::text END AS "enumName",
            a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_type base ON base.oid = CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem ELSE t.oid END
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
        AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const enumRows = await client.query<{ name: string; values: string[] }>(
    `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE t.typnamespace = 'public'::regnamespace
      GROUP BY t.typname`,
  );
  const foreignKeys = await client.query<DbForeignKey>(
    `SELECT c.conrelid::regclass::text AS table, c.conname::text AS name,
            array(SELECT pa.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(num, n)
                    JOIN pg_attribute pa ON pa.attrelid = c.conrelid AND pa.attnum = k.num ORDER BY k.n) AS columns,
            c.confrelid::regclass::text AS "referencedTable",
            array(SELECT pa.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(num, n)
                    JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.num ORDER BY k.n) AS "referencedColumns",
            c.confdeltype::text AS "onDelete", c.confupdtype::text AS "onUpdate"
       FROM pg_constraint c
      WHERE c.connamespace = 'public'::regnamespace AND c.contype = 'f'`,
  );
  const indexes = await client.query<DbIndex>(
    `SELECT t.relname::text AS table, i.relname::text AS name,
            array(SELECT pa.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(num, n)
                    JOIN pg_attribute pa ON pa.attrelid = x.indrelid AND pa.attnum = k.num ORDER BY k.n) AS columns,
            x.indisunique AS unique, x.indisprimary AS primary, am.amname::text AS method
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_am am ON am.oid = i.relam
      WHERE t.relnamespace = 'public'::regnamespace AND t.relname <> '_prisma_migrations'`,
  );
  return {
    tables: tables.rows.map((row) => row.table),
    columns: columns.rows,
    enums: new Map(enumRows.rows.map((row) => [row.name, row.values])),
    // regclass::text quotes names that need it, like "user"
    foreignKeys: foreignKeys.rows.map((row) => ({
      ...row,
      table: unquote(row.table),
      referencedTable: unquote(row.referencedTable),
    })),
    indexes: indexes.rows,
  };
}

function unquote(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replaceAll('""', '"') : identifier;
}

// ---------------------------------------------------------------------------------------
// The comparison, reporting every mismatch

// Prisma's PostgreSQL types for each scalar and native type, as format_type() prints them.
const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

function nativeTypeName(nativeType: [string, string[]]): string | undefined {
  const [name, args] = nativeType;
  const [first] = args;
  switch (name) {
    case "Text":
      return "text";
    case "Uuid":
      return "uuid";
    case "Char":
      return `character(${first ?? 1})`;
    case "VarChar":
      return first === undefined ? "character varying" : `character varying(${first})`;
    case "Timestamptz":
      return `timestamp(${first ?? 6}) with time zone`;
    case "Timestamp":
      return `timestamp(${first ?? 6}) without time zone`;
    case "Date":
      return "date";
    case "Integer":
      return "integer";
    case "SmallInt":
      return "smallint";
    case "BigInt":
      return "bigint";
    case "Boolean":
      return "boolean";
    case "JsonB":
      return "jsonb";
    default:
      return undefined;
  }
}

const ON_DELETE_CODES: Record<string, string> = {
  Cascade: "c",
  Restrict: "r",
  NoAction: "a",
  SetNull: "n",
  SetDefault: "d",
};

function tableName(model: DmmfModel): string {
  return model.dbName ?? model.name;
}

function columnName(field: DmmfField): string {
  return field.dbName ?? field.name;
}

// Returns a description of how the database default differs from the declared one, or null.
function defaultMismatch(field: DmmfField, actual: string | null): string | null {
  const declared = field.default;
  if (declared === undefined || declared === null) {
    return actual === null ? null : `has default ${actual}, schema declares none`;
  }
  if (typeof declared === "object" && "name" in declared) {
    const call = z.object({ name: z.string(), args: z.array(z.unknown()) }).parse(declared);
    const expected =
      call.name === "now"
        ? "CURRENT_TIMESTAMP"
        : call.name === "dbgenerated"
          ? String(call.args[0])
          : call.name === "autoincrement"
            ? "nextval("
            : undefined;
    // uuid(), cuid(), nanoid()... are generated by Prisma Client, not by the database
    if (expected === undefined) return actual === null ? null : `has default ${actual}, schema generates it in the client`;
    if (actual === null) return `has no default, schema declares ${call.name}()`;
    const matches = expected === "nextval(" ? actual.startsWith(expected) : actual === expected;
    return matches ? null : `has default ${actual}, schema declares ${call.name}(${call.args.join(", ")}) (expected ${expected})`;
  }
  if (actual === null) return `has no default, schema declares ${JSON.stringify(declared)}`;
  const expectedValue = Array.isArray(declared) ? `{${declared.join(",")}}` : String(declared);
  const literal = /^'((?:[^']|'')*)'::.+$/.exec(actual);
  const actualValue = literal?.[1] !== undefined ? literal[1].replaceAll("''", "'") : actual;
  return actualValue === expectedValue ? null : `has default ${actual}, schema declares ${JSON.stringify(declared)}`;
}

function compareSchema(datamodel: Datamodel, db: DbSchema): string[] {
  const mismatches: string[] = [];
  const modelsByName = new Map(datamodel.models.map((model) => [model.name, model]));
  const enumDbNames = new Map(datamodel.enums.map((declared) => [declared.name, declared.dbName ?? declared.name]));

  // enums and their values, in order
  for (const declared of datamodel.enums) {
    const name = declared.dbName ?? declared.name;
    const values = declared.values.map((value) => value.dbName ?? value.name);
    const actual = db.enums.get(name);
    if (!actual) mismatches.push(`enum ${name}: missing from the database`);
    else if (actual.join(",") !== values.join(",")) {
      mismatches.push(`enum ${name}: database has (${actual.join(", ")}), schema declares (${values.join(", ")})`);
    }
  }
  for (const name of db.enums.keys()) {
    if (![...enumDbNames.values()].includes(name)) mismatches.push(`enum ${name}: in the database, not in schema.prisma`);
  }

  // tables and columns
  const declaredTables = datamodel.models.map(tableName);
  for (const table of declaredTables) {
    if (!db.tables.includes(table)) mismatches.push(`table ${table}: missing from the database`);
  }
  for (const table of db.tables) {
    if (!declaredTables.includes(table)) mismatches.push(`table ${table}: in the database, not in schema.prisma`);
  }

  for (const model of datamodel.models) {
    const table = tableName(model);
    const columns = model.fields.filter((field) => field.kind === "scalar" || field.kind === "enum");
    for (const field of columns) {
      const where = `column ${table}.${columnName(field)}`;
      const actual = db.columns.find((column) => column.table === table && column.column === columnName(field));
      if (!actual) {
        mismatches.push(`${where}: missing from the database`);
        continue;
      }
      const arraySuffix = field.isList ? "[]" : "";
      if (field.kind === "enum") {
        const enumName = enumDbNames.get(field.type) ?? field.type;
        if (actual.enumName !== enumName || actual.type.endsWith("[]") !== field.isList) {
          mismatches.push(`${where}: type ${actual.type}, schema declares enum ${enumName}${arraySuffix}`);
        }
      } else {
        const base = field.nativeType ? nativeTypeName(field.nativeType) : SCALAR_TYPES[field.type];
        if (base === undefined) {
          mismatches.push(`${where}: this test does not know the type ${field.type} ${JSON.stringify(field.nativeType)}; teach it`);
        } else if (actual.type !== `${base}${arraySuffix}`) {
          mismatches.push(`${where}: type ${actual.type}, schema declares ${base}${arraySuffix}`);
        }
      }
      // Prisma creates list columns nullable, whatever the schema says
      const expectedNotNull = field.isRequired && !field.isList;
      if (actual.notNull !== expectedNotNull) {
        mismatches.push(`${where}: ${actual.notNull ? "NOT NULL" : "nullable"}, schema declares ${expectedNotNull ? "NOT NULL" : "nullable"}`);
      }
      const defaultProblem = defaultMismatch(field, actual.default);
      if (defaultProblem) mismatches.push(`${where}: ${defaultProblem}`);
    }
    const declaredColumns = columns.map(columnName);
    for (const column of db.columns.filter((column) => column.table === table)) {
      if (!declaredColumns.includes(column.column)) {
        mismatches.push(`column ${table}.${column.column}: in the database, not in schema.prisma`);
      }
    }
  }

  // relations: one foreign key per relation field that holds the reference
  const declaredForeignKeys: string[] = [];
  for (const model of datamodel.models) {
    const table = tableName(model);
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const target = modelsByName.get(field.type);
      if (!target) {
        mismatches.push(`relation ${model.name}.${field.name}: target model ${field.type} not found`);
        continue;
      }
      const fromFields = field.relationFromFields.map((name) => model.fields.find((candidate) => candidate.name === name));
      const columns = fromFields.map((from, index) => (from ? columnName(from) : `?${field.relationFromFields?.[index]}`));
      const referencedColumns = (field.relationToFields ?? []).map((name) => {
        const to = target.fields.find((candidate) => candidate.name === name);
        return to ? columnName(to) : `?${name}`;
      });
      // Prisma's defaults: Restrict when the reference is required, SetNull when optional; Cascade on update
      const onDelete = field.relationOnDelete ?? (fromFields.every((from) => from?.isRequired) ? "Restrict" : "SetNull");
      const onUpdate = field.relationOnUpdate ?? "Cascade";
      const name = `${table}_${columns.join("_")}_fkey`;
      declaredForeignKeys.push(name);
      const where = `foreign key ${name} (${model.name}.${field.name})`;
      const actual = db.foreignKeys.find((fk) => fk.table === table && fk.columns.join(",") === columns.join(","));
      if (!actual) {
        mismatches.push(`${where}: missing from the database`);
        continue;
      }
      if (actual.name !== name) mismatches.push(`${where}: named ${actual.name} in the database`);
      const expectedTarget = `${tableName(target)}(${referencedColumns.join(", ")})`;
      const actualTarget = `${actual.referencedTable}(${actual.referencedColumns.join(", ")})`;
      if (actualTarget !== expectedTarget) mismatches.push(`${where}: references ${actualTarget}, schema declares ${expectedTarget}`);
      if (actual.onDelete !== ON_DELETE_CODES[onDelete]) {
        mismatches.push(`${where}: ON DELETE code '${actual.onDelete}', schema declares ${onDelete}`);
      }
      if (actual.onUpdate !== ON_DELETE_CODES[onUpdate]) {
        mismatches.push(`${where}: ON UPDATE code '${actual.onUpdate}', schema declares ${onUpdate}`);
      }
    }
  }
  for (const fk of db.foreignKeys) {
    if (!declaredForeignKeys.includes(fk.name)) mismatches.push(`foreign key ${fk.name} on ${fk.table}: in the database, not in schema.prisma`);
  }

  // primary keys, uniques and indexes, under Prisma's default names
  const declaredIndexes: string[] = [];
  for (const index of datamodel.indexes) {
    const model = modelsByName.get(index.model);
    if (!model) continue;
    const table = tableName(model);
    const columns = index.fields.map((indexField) => {
      const field = model.fields.find((candidate) => candidate.name === indexField.name);
      return field ? columnName(field) : `?${indexField.name}`;
    });
    const suffix = index.type === "id" ? "pkey" : index.type === "unique" ? "key" : "idx";
    const name =
      index.dbName ?? (index.type === "id" ? (model.primaryKey?.name ?? `${table}_pkey`) : `${table}_${columns.join("_")}_${suffix}`);
    const method = (index.algorithm ?? "BTree").toLowerCase();
    declaredIndexes.push(name);
    const where = `${index.type === "id" ? "primary key" : index.type === "unique" ? "unique index" : "index"} ${name}`;
    const actual = db.indexes.find((candidate) => candidate.table === table && candidate.name === name);
    if (!actual) {
      mismatches.push(`${where} on ${table}(${columns.join(", ")}): missing from the database`);
      continue;
    }
    if (actual.columns.join(",") !== columns.join(",")) {
      mismatches.push(`${where}: on (${actual.columns.join(", ")}), schema declares (${columns.join(", ")})`);
    }
    if (actual.primary !== (index.type === "id")) mismatches.push(`${where}: primary key is ${actual.primary}`);
    if (actual.unique !== (index.type !== "normal")) mismatches.push(`${where}: unique is ${actual.unique}`);
    if (actual.method !== method) mismatches.push(`${where}: uses ${actual.method}, schema declares ${method}`);
  }
  for (const index of db.indexes) {
    if (!declaredIndexes.includes(index.name)) {
      mismatches.push(`index ${index.name} on ${index.table}(${index.columns.join(", ")}): in the database, not in schema.prisma`);
    }
  }

  return mismatches;
}

// ---------------------------------------------------------------------------------------

const databases: ScratchDatabase[] = [];
let migrated: ScratchDatabase;
let client: pg.Client;
let datamodel: Datamodel;

async function migratedDatabase(): Promise<ScratchDatabase> {
  const database = await createScratchDatabase();
  databases.push(database);
  await applyMigrations({ databaseUrl: database.url });
  return database;
}

beforeAll(async () => {
  datamodel = loadDatamodel();
  migrated = await migratedDatabase();
  client = new pg.Client({ connectionString: migrated.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await Promise.all(databases.map((database) => database.drop()));
});

test("the migrated database has every model, field, enum, relation, unique and index of schema.prisma, and nothing else", async () => {
  const mismatches = compareSchema(datamodel, await readDbSchema(client));

  expect(mismatches, "schema.prisma and prisma/migrations disagree; write a migration").toEqual([]);
});

test("the comparison notices drift", async () => {
  const drifted = await migratedDatabase();
  const driftedClient = new pg.Client({ connectionString: drifted.url });
  await driftedClient.connect();
  try {
    await driftedClient.query(`
      DROP INDEX "offer_themes_idx";
      ALTER TABLE "offer" ALTER COLUMN "title" DROP NOT NULL;
      ALTER TABLE "session" DROP CONSTRAINT "session_user_id_fkey";
      ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
      ALTER TYPE "UserRole" ADD VALUE 'superuser';
      CREATE TABLE "stray" ("id" INTEGER);
    `);
    const mismatches = compareSchema(datamodel, await readDbSchema(driftedClient));

    expect(mismatches).toEqual(
      expect.arrayContaining([
        "index offer_themes_idx on offer(themes): missing from the database",
        "column offer.title: nullable, schema declares NOT NULL",
        "foreign key session_user_id_fkey (Session.user): ON DELETE code 'r', schema declares Cascade",
        "enum UserRole: database has (member, staff, admin, superuser), schema declares (member, staff, admin)",
        "table stray: in the database, not in schema.prisma",
      ]),
    );
  } finally {
    await driftedClient.end();
  }
});

// ---------------------------------------------------------------------------------------
// The CHECK constraints that schema.prisma cannot express

const VOCABULARY_CHECKS: ReadonlyArray<{ constraint: string; codes: readonly string[]; list?: "non-empty" | "may be empty" }> = [
  { constraint: "organization_type_check", codes: ORGANIZATION_TYPE_CODES },
  { constraint: "user_preferred_language_check", codes: LANGUAGE_CODES },
  { constraint: "offer_language_check", codes: LANGUAGE_CODES },
  { constraint: "offer_themes_check", codes: THEME_CODES, list: "non-empty" },
  { constraint: "offer_modalities_check", codes: MODALITY_CODES, list: "non-empty" },
  { constraint: "offer_working_languages_check", codes: LANGUAGE_CODES, list: "non-empty" },
  { constraint: "offer_cost_sharing_check", codes: COST_SHARING_CODES },
  { constraint: "offer_status_check", codes: OFFER_STATUS_CODES },
  { constraint: "request_language_check", codes: LANGUAGE_CODES },
  { constraint: "request_themes_check", codes: THEME_CODES, list: "non-empty" },
  { constraint: "request_modalities_check", codes: MODALITY_CODES, list: "may be empty" },
  { constraint: "request_working_languages_check", codes: LANGUAGE_CODES, list: "non-empty" },
  { constraint: "request_status_check", codes: REQUEST_STATUS_CODES },
  { constraint: "meeting_themes_check", codes: THEME_CODES, list: "non-empty" },
  { constraint: "cooperation_activity_modality_check", codes: MODALITY_CODES },
];

test("the vocabulary CHECK constraints allow exactly the codes of app/schemas/vocabulary.ts", async () => {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT conname::text AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'c'`,
  );
  const definitions = new Map(rows.map((row) => [row.name, row.definition]));

  const mismatches: string[] = [];
  for (const check of VOCABULARY_CHECKS) {
    const definition = definitions.get(check.constraint);
    if (!definition) {
      mismatches.push(`${check.constraint}: missing from the database`);
      continue;
    }
    const allowed = [...definition.matchAll(/'((?:[^']|'')*)'::text/g)].map((match) => (match[1] ?? "").replaceAll("''", "'"));
    const missing = check.codes.filter((code) => !allowed.includes(code));
    const extra = allowed.filter((code) => !check.codes.includes(code));
    if (missing.length) mismatches.push(`${check.constraint}: refuses ${missing.join(", ")}`);
    if (extra.length) mismatches.push(`${check.constraint}: allows ${extra.join(", ")}, not in the vocabulary`);
    if (check.list && !/IS NOT NULL/.test(definition)) mismatches.push(`${check.constraint}: allows NULL`);
    if (check.list && /cardinality\(\w+\) > 0/.test(definition) !== (check.list === "non-empty")) {
      mismatches.push(`${check.constraint}: should be ${check.list}`);
    }
  }

  expect(mismatches).toEqual([]);
});

test("the CHECK constraints refuse what the exchange format forbids", async () => {
  await client.query("BEGIN");
  try {
    await client.query(`
      INSERT INTO "user" ("id", "email", "name", "password_hash") VALUES
        ('00000000-0000-4000-8000-000000000001', 'ana@example.org', 'Ana', 'x');
      INSERT INTO "organization" ("id", "key", "name", "country_code", "type") VALUES
        ('00000000-0000-4000-8000-000000000002', 'mtess-py', 'MTESS', 'PY', 'ministry');
    `);
    const organizationId = "00000000-0000-4000-8000-000000000002";
    const validOffer = {
      key: "sbdc-network",
      organization_id: organizationId,
      title: "SBDC network",
      summary: "Centers",
      language: "es",
      themes: ["business-development-centers"],
      modalities: ["study-visit"],
      working_languages: ["es", "en"],
    };
    const validRequest = {
      key: "need-sbdc",
      organization_id: organizationId,
      title: "SBDC",
      summary: "Need",
      language: "en",
      themes: ["msme-finance"],
      modalities: [],
      working_languages: ["en"],
      desired_start: "2027-01-01",
      desired_end: "2027-06-30",
    };

    // the constraint each insert violates, or null when it is accepted
    async function violation(table: string, values: Record<string, unknown>): Promise<string | null> {
      const columns = Object.keys(values);
      await client.query("SAVEPOINT attempt");
      try {
        await client.query(
          `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")})
           VALUES (${columns.map((_, index) => `$${index + 1}`).join(", ")})`,
          Object.values(values),
        );
        return null;
      } catch (error) {
        if (error instanceof pg.DatabaseError && error.code === "23514") return error.constraint ?? "(unnamed)";
        throw error;
      } finally {
        await client.query("ROLLBACK TO SAVEPOINT attempt");
      }
    }

    const cases: Array<[string, string, Record<string, unknown>, string | null]> = [
      ["a valid offer", "offer", validOffer, null],
      ["an offer without themes", "offer", { ...validOffer, themes: [] }, "offer_themes_check"],
      ["an offer with NULL themes", "offer", { ...validOffer, themes: null }, "offer_themes_check"],
      ["an offer with an unknown theme", "offer", { ...validOffer, themes: ["msme-finance", "tourism"] }, "offer_themes_check"],
      ["an offer with a NULL theme", "offer", { ...validOffer, themes: [null] }, "offer_themes_check"],
      ["an offer without modalities", "offer", { ...validOffer, modalities: [] }, "offer_modalities_check"],
      ["an offer without working languages", "offer", { ...validOffer, working_languages: [] }, "offer_working_languages_check"],
      ["an offer in German", "offer", { ...validOffer, language: "de" }, "offer_language_check"],
      ["an offer with capacity 0", "offer", { ...validOffer, capacity_per_year: 0 }, "offer_capacity_per_year_check"],
      ["an offer with unknown cost sharing", "offer", { ...validOffer, cost_sharing: "free" }, "offer_cost_sharing_check"],
      ["an offer with a request status", "offer", { ...validOffer, status: "open" }, "offer_status_check"],
      ["a published offer without its publication time", "offer", { ...validOffer, status: "published" }, "offer_published_at_check"],
      ["a published offer with its publication time", "offer", { ...validOffer, status: "published", published_at: "2026-01-01T00:00:00Z" }, null],
      ["an offer with an upper-case key", "offer", { ...validOffer, key: "SBDC-network" }, "offer_key_check"],
      ["an offer with a one-character key", "offer", { ...validOffer, key: "s" }, "offer_key_check"],
      ["an offer with an 81-character key", "offer", { ...validOffer, key: "s".repeat(81) }, "offer_key_check"],
      ["an offer with an 80-character key", "offer", { ...validOffer, key: "s".repeat(80) }, null],
      ["a request without modalities (any)", "request", validRequest, null],
      ["a request without themes", "request", { ...validRequest, themes: [] }, "request_themes_check"],
      ["a request with NULL modalities", "request", { ...validRequest, modalities: null }, "request_modalities_check"],
      ["a request with an unknown modality", "request", { ...validRequest, modalities: ["webinar"] }, "request_modalities_check"],
      ["a request without working languages", "request", { ...validRequest, working_languages: [] }, "request_working_languages_check"],
      ["a request ending before it starts", "request", { ...validRequest, desired_end: "2026-12-31" }, "request_desired_end_check"],
      ["a request ending the day it starts", "request", { ...validRequest, desired_end: "2027-01-01" }, null],
      ["a request with an offer status", "request", { ...validRequest, status: "published" }, "request_status_check"],
      ["an open request without its publication time", "request", { ...validRequest, status: "open" }, "request_published_at_check"],
      ["an open request with its publication time", "request", { ...validRequest, status: "open", published_at: "2026-01-01T00:00:00Z" }, null],
      ["a request with a key starting with '-'", "request", { ...validRequest, key: "-need" }, "request_key_check"],
      ["an organization of an unknown type", "organization", { key: "uni", name: "U", country_code: "PY", type: "university" }, "organization_type_check"],
      ["an organization with a space in its key", "organization", { key: "mtess py", name: "M", country_code: "PY", type: "ministry" }, "organization_key_check"],
      ["a user preferring German", "user", { email: "b@example.org", name: "B", password_hash: "x", preferred_language: "de" }, "user_preferred_language_check"],
    ];

    const outcomes: Array<[string, string | null]> = [];
    for (const [description, table, values] of cases) outcomes.push([description, await violation(table, values)]);

    expect(outcomes).toEqual(cases.map(([description, , , expected]) => [description, expected]));
  } finally {
    await client.query("ROLLBACK");
  }
});

import { describe, expect, test } from "vitest";
import { EnvError, parseEnv } from "~/utils/env.server";

describe("parseEnv", () => {
  test("an empty environment gets the embedded defaults", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.MEILI_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.DATA_DIR).toBe(".data");
    expect(env.EMBEDDED_POSTGRES_PORT).toBe(5433);
  });

  test("empty strings count as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", MEILI_URL: " ", APP_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  test("a bad value names the variable", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://localhost/x" })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => parseEnv({ SESSION_SECRET: "short" })).toThrow(/SESSION_SECRET: must be at least 32 characters/);
    expect(() => parseEnv({ MEILI_INDEX_PREFIX: "a b" })).toThrow(/MEILI_INDEX_PREFIX/);
  });

  test("production with external services demands their secrets", () => {
    const production = { NODE_ENV: "production", DATABASE_URL: "postgres://db/enlace", MEILI_URL: "https://search.example.org" };
    expect(() => parseEnv(production)).toThrow(/MEILI_MASTER_KEY/);
    expect(() => parseEnv(production)).toThrow(/SESSION_SECRET/);
    expect(parseEnv({ ...production, MEILI_MASTER_KEY: "k".repeat(32), SESSION_SECRET: "s".repeat(32) }).NODE_ENV).toBe("production");
  });
});

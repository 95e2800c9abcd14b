import { z } from "zod";

// An empty value (as `.env` files often have) counts as unset.
const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === "" ? undefined : value))
  .pipe(z.url().optional());

const portNumber = z.coerce.number().int().min(1).max(65535);

/**
 * Every setting the server reads. Parsed once at boot; a bad value stops the process with a
 * message naming the variable (see `parseEnv`). `.env.example` documents each of them.
 */
const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: portNumber.default(3000),
    APP_URL: optionalUrl,
    DATABASE_URL: optionalUrl.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
      message: "must be a postgres:// or postgresql:// URL",
    }),
    MEILI_URL: optionalUrl,
    MEILI_MASTER_KEY: z.string().min(16).optional(),
    MEILI_INDEX_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9_-]*$/, "may only contain letters, digits, '_' and '-'")
      .default("enlace_"),
    DATA_DIR: z.string().min(1).default(".data"),
    EMBEDDED_POSTGRES_PORT: portNumber.default(5433),
    EMBEDDED_MEILI_PORT: portNumber.default(7700),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    SMTP_URL: optionalUrl,
    MAIL_FROM: z.string().min(3).default("Enlace <no-reply@enlace.local>"),
    SEED: z.enum(["demo", "none"]).default("demo"),
    SLOW_QUERY_MS: z.coerce.number().int().min(0).default(200),
    // false: this instance only serves pages and queues jobs; other instances run them. Several
    // instances may all run the worker: graphile-worker takes each job with SKIP LOCKED.
    RUN_WORKER: z
      .enum(["true", "false"])
      .default("true")
      .transform((value) => value === "true"),
    // Web server processes on this machine (node:cluster, sharing the port); one of them runs the
    // job worker when RUN_WORKER is true. 1 serves from the process that starts the services.
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(1),
    // Search results kept per web process for repeated searches, each valid only while the indexes
    // it read are unchanged (search/results-cache.server.ts); 0 turns the cache off.
    SEARCH_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(1_000),
    // Anonymous search pages kept per web process (app/utils/page-cache.server.ts); 0 turns it off.
    PAGE_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(500),
    TRUST_PROXY: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true"),
  })
  .superRefine((env, context) => {
    if (env.MEILI_URL && !env.MEILI_MASTER_KEY && env.NODE_ENV === "production") {
      context.addIssue({
        code: "custom",
        path: ["MEILI_MASTER_KEY"],
        message: "is required in production when MEILI_URL is set",
      });
    }
    if (env.NODE_ENV === "production" && env.DATABASE_URL && !env.SESSION_SECRET) {
      context.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "is required in production with an external database",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(environment)"}: ${issue.message}`);
  throw new EnvError(`Invalid environment configuration:\n${lines.join("\n")}`);
}

let cachedEnv: Env | undefined;

/** The parsed environment; the server calls `parseEnv` at boot, so this never throws while serving. */
export function getEnv(): Env {
  cachedEnv ??= parseEnv();
  return cachedEnv;
}

/** Forget the cached parse: the boot sequence fills in URLs of the embedded services it started. */
export function resetEnvCache() {
  cachedEnv = undefined;
}

/** The only settings the browser receives (exposed through the root loader as window.ENV). */
export function getPublicEnv() {
  const env = getEnv();
  return { NODE_ENV: env.NODE_ENV };
}

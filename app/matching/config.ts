// The matching configuration: factor weights and the few numbers that shape retrieval and
// proposals, in one file (app/matching/weights.json) so staff can tune the matcher without a
// code change. Every value is documented in docs/decisions/005-matching.md.
//
// Read at run time rather than imported, so a broken file stops the command or the job with a
// message naming the field instead of breaking the build.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { RejectionReason } from "./decisions";

const weight = z.number().finite().min(0).max(1000);
const fraction = z.number().finite().min(0).max(1);
const count = (max: number) => z.number().int().min(1).max(max);

export const FACTOR_NAMES = [
  "textRelevance",
  "themeFit",
  "modalityFit",
  "language",
  "timing",
  "capacity",
  "subregion",
  "evidence",
  "trackRecord",
] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

const factorsSchema = z
  .strictObject({
    textRelevance: weight,
    themeFit: weight,
    modalityFit: weight,
    language: weight,
    timing: weight,
    capacity: weight,
    subregion: weight,
    evidence: weight,
    trackRecord: weight,
  } satisfies Record<FactorName, typeof weight>)
  .refine((factors) => Object.values(factors).some((value) => value > 0), {
    message: "at least one factor must have a weight above 0",
  });

export const matchingConfigSchema = z.strictObject({
  description: z.string().optional(),
  factors: factorsSchema,
  staffFeedback: z.strictObject({
    // the most a score can move, up or down, from staff decisions on similar pairings
    maxPoints: z.number().finite().min(0).max(50),
    // how strongly one staff rejection with this reason counts against similar pairings
    rejection: z.strictObject({
      "not-relevant": fraction,
      language: fraction,
      capacity: fraction,
      timing: fraction,
      "already-cooperating": fraction,
      other: fraction,
    } satisfies Record<RejectionReason, typeof fraction>),
    confirmation: fraction,
  }),
  rules: z.strictObject({
    noSharedLanguageScoreFactor: fraction,
    minTopicalFit: fraction,
  }),
  retrieval: z.strictObject({
    searchHits: count(1000),
    searchQueryWords: count(32),
    themeCandidates: count(1000),
    conceptCandidates: count(1000),
    maxCandidates: count(1000),
    exhaustiveBelowOffers: z.number().int().min(0).max(100_000),
    searchTimeoutMs: count(60_000),
    fullRunSearchMaxRequests: z.number().int().min(0).max(10_000_000),
  }),
  proposals: z.strictObject({
    alternates: count(100),
  }),
});

export type MatchingConfig = z.infer<typeof matchingConfigSchema>;

export class MatchingConfigError extends Error {
  override name = "MatchingConfigError";
}

function defaultConfigFile(): string {
  const besideThisModule = fileURLToPath(new URL("./weights.json", import.meta.url));
  // A bundled server has no weights.json beside it; the repository's copy is then the one.
  return existsSync(besideThisModule) ? besideThisModule : path.resolve("app/matching/weights.json");
}

/** Parses a configuration value; errors name every offending field. */
export function parseMatchingConfig(value: unknown, source = "matching configuration"): MatchingConfig {
  const result = matchingConfigSchema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const field = [...issue.path, ...(issue.code === "unrecognized_keys" ? [issue.keys.join(", ")] : [])].join(".");
    return `  ${field || "(file)"}: ${issue.message}`;
  });
  throw new MatchingConfigError(`${source} is invalid:\n${lines.join("\n")}`);
}

let cached: { file: string; config: MatchingConfig } | undefined;

/**
 * The configuration in `file` (by default app/matching/weights.json). Throws a
 * MatchingConfigError naming the file and each bad field.
 */
export function loadMatchingConfig({
  file = defaultConfigFile(),
  reload = false,
}: { file?: string; reload?: boolean } = {}): MatchingConfig {
  if (!reload && cached?.file === file) return cached.config;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new MatchingConfigError(
      `cannot read the matching configuration ${file}: ${error instanceof Error ? error.message : String(error)}`
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MatchingConfigError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const config = parseMatchingConfig(json, file);
  cached = { file, config };
  return config;
}

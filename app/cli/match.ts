/**
 * `npm run match`: recomputes every open request's proposals (app/matching), then prints a
 * summary, or with `--json` every open request's proposals, best first:
 *   {"requests":[{"request":"<key>","proposals":[{"offer":"<key>","score":87.5,"recommended":true,"reasons":["..."]}]}]}
 *
 * Honours DATABASE_URL, MEILI_URL, MEILI_MASTER_KEY and MEILI_INDEX_PREFIX. Without DATABASE_URL
 * it uses the embedded services under DATA_DIR as `npm start` does. Options:
 *   --json            the JSON above on stdout (progress goes to stderr)
 *   --lang en|es      language of the reasons in the JSON (default en)
 *   --weights <file>  another weights file than app/matching/weights.json
 *   --no-search       leave Meilisearch out (theme and concept channels only)
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { openCommandDatabase, resolveUserPath } from "~/cli/command-database";
import { loadMatchingConfig, MatchingConfigError } from "~/matching/config";
import { matchingOutput } from "~/matching/output";
import { recomputeAllMatching } from "~/matching/service.server";
import { listOpenRequestProposals } from "~/models/proposal.server";
import { EnvError } from "~/utils/env.server";
import { ensureServices } from "~/utils/services.server";

const USAGE = "usage: npm run match [-- --json] [--lang en|es] [--weights <file>] [--no-search]";

const optionsSchema = z.object({
  json: z.boolean().default(false),
  lang: z.enum(["en", "es"]).default("en"),
  weights: z.string().min(1).optional(),
  "no-search": z.boolean().default(false),
});

// Wall time depends on what else the machine runs; the process's own CPU time does not.
function cpuSeconds(): string {
  const usage = process.resourceUsage();
  return ((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(1);
}

async function main(args: string[]): Promise<number> {
  let options: z.infer<typeof optionsSchema>;
  try {
    const { values } = parseArgs({
      args,
      options: {
        json: { type: "boolean" },
        lang: { type: "string" },
        weights: { type: "string" },
        "no-search": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.error(USAGE);
      return 0;
    }
    const parsed = optionsSchema.safeParse(values);
    if (!parsed.success) {
      console.error(parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n"));
      console.error(USAGE);
      return 1;
    }
    options = parsed.data;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    return 1;
  }

  // A broken weights file stops the command before it touches anything.
  const config = loadMatchingConfig(options.weights ? { file: resolveUserPath(options.weights) } : {});
  const log = (line: string) => console.error(`[match] ${line}`);

  const fullyEmbedded = !process.env.DATABASE_URL && !process.env.MEILI_URL;
  const database = await openCommandDatabase();
  let stopSearch = async () => {};
  try {
    if (fullyEmbedded && !options["no-search"]) {
      // The local instance's own Meilisearch; if it cannot start (the app may hold its port), the
      // matcher goes on with its other channels.
      try {
        stopSearch = (await ensureServices()).stop;
      } catch (error) {
        log(
          `embedded Meilisearch not started (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); going on without it`
        );
      }
    }
    const started = performance.now();
    const summary = await recomputeAllMatching({ config, useSearch: !options["no-search"], log });
    log(
      `${summary.requests} open requests, ${summary.offers} published offers: ${summary.withProposals} with proposals, ` +
        `${summary.noCandidates} without candidates, ${summary.recommended} recommended; search ${summary.search}; ` +
        `${summary.written.inserted} inserted, ${summary.written.updated} updated, ${summary.written.deleted} deleted ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s (cpu ${cpuSeconds()} s); peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    );
    log(`stages (ms): ${Object.entries(summary.timings).map(([stage, ms]) => `${stage} ${ms}`).join(", ")}`);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(matchingOutput(await listOpenRequestProposals(), options.lang))}\n`);
    }
    return 0;
  } finally {
    await stopSearch();
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof MatchingConfigError || error instanceof EnvError ? error.message : error);
    process.exit(1);
  }
);

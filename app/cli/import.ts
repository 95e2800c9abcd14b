/**
 * `npm run import -- <file.json>`: imports a catalogue in the cooperation exchange format.
 * Every record is checked before anything is written; on any error all of them are printed
 * and nothing is imported (exit code 1). Otherwise prints how many organizations, offers and
 * requests were created, updated or left unchanged.
 */
import { openCommandDatabase, resolveUserPath } from "~/cli/command-database";
import { createProgressReporter, formatImportSummary, readExchangeFile } from "~/cli/exchange-file";
import { importCatalogue } from "~/models/exchange.server";
import { countExchangeRecords } from "~/schemas/exchange";

const USAGE = "usage: npm run import -- <file.json>";

function printErrors(errors: readonly string[]) {
  for (const error of errors) console.error(error);
  console.error(`${errors.length} ${errors.length === 1 ? "error" : "errors"}; nothing was imported.`);
}

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] === "--help" || args[0] === "-h") {
    console.error(USAGE);
    return 1;
  }
  const file = resolveUserPath(args[0]);
  const read = await readExchangeFile(file);
  if (!read.ok) {
    printErrors(read.errors);
    return 1;
  }

  const database = await openCommandDatabase();
  try {
    const progress = createProgressReporter({ stream: process.stderr, records: countExchangeRecords(read.value) });
    const started = performance.now();
    const result = await importCatalogue({ file: read.value, onProgress: progress.report });
    progress.finish();
    if (!result.ok) {
      printErrors(result.errors);
      return 1;
    }
    console.log(formatImportSummary(result.counts));
    console.log(`Imported ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

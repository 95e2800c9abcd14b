/**
 * `npm run export -- <file.json>`: writes the whole catalogue (every organization, offer and
 * request, whatever its status) in the cooperation exchange format, records ordered by key.
 * `-` writes to standard output.
 */
import { openCommandDatabase, resolveUserPath } from "~/cli/command-database";
import { serializeExchangeFile, writeExchangeFile } from "~/cli/exchange-file";
import { exportCatalogue } from "~/models/exchange.server";

const USAGE = "usage: npm run export -- <file.json | ->";

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] === "--help" || args[0] === "-h") {
    console.error(USAGE);
    return 1;
  }
  const database = await openCommandDatabase();
  try {
    const catalogue = await exportCatalogue();
    const summary = `${catalogue.organizations.length} organizations, ${catalogue.offers.length} offers, ${catalogue.requests.length} requests`;
    if (args[0] === "-") {
      process.stdout.write(serializeExchangeFile(catalogue));
      console.error(`Exported ${summary}.`);
    } else {
      const file = resolveUserPath(args[0]);
      await writeExchangeFile(file, catalogue);
      console.log(`Exported ${summary} to ${file}.`);
    }
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

/**
 * `npm run db:seed`: loads the demo catalogue and the demo accounts into an empty database.
 * `npm run db:seed -- --force` adds them to a database that already has data (records with
 * the same keys are updated, existing accounts are kept): never on a real instance, as the
 * demo accounts share a published password.
 */
import { openCommandDatabase } from "~/cli/command-database";
import { seedDemo, seedIfEmpty } from "../../prisma/seed.server";

const USAGE = "usage: npm run db:seed [-- --force]";

async function main(args: string[]): Promise<number> {
  const force = args.includes("--force");
  if (args.some((arg) => arg !== "--force")) {
    console.error(USAGE);
    return 1;
  }
  const database = await openCommandDatabase();
  try {
    const log = (line: string) => console.log(`[seed] ${line}`);
    if (force) await seedDemo({ log });
    else {
      const { seeded } = await seedIfEmpty({ log });
      if (!seeded) log("run `npm run db:seed -- --force` to add the demo data anyway");
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

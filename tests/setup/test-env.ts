// setupFiles of the integration project: runs in every test worker before the test file is
// imported, so modules reading process.env at load time (env.server.ts, db.server.ts) see the
// servers that global-setup.ts started.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("DATABASE_URL");
process.env.MEILI_URL = inject("MEILI_URL");
process.env.MEILI_MASTER_KEY = inject("MEILI_MASTER_KEY");
process.env.MEILI_INDEX_PREFIX = inject("MEILI_INDEX_PREFIX");

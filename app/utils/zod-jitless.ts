import { z } from "zod";

// Zod compiles object parsers with `new Function` after probing whether eval is allowed; the
// probe runs when a schema is built, and under our CSP (no 'unsafe-eval') the refused probe is
// reported as a violation. In the browser, forms are small and interpreted parsing is fast
// enough; the server keeps compiled parsers. Imported first by app/root.tsx so that it runs
// before any route module builds a schema. See docs/decisions/009-security-headers.md.
if (typeof document !== "undefined") z.config({ jitless: true });

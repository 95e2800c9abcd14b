import { json } from "@remix-run/node";
import { checkDatabaseHealth } from "~/models/health.server";
import { checkSearchHealth } from "~search/client.server";

export async function loader() {
  const [database, search] = await Promise.all([checkDatabaseHealth(), checkSearchHealth()]);
  // The app still serves its pages without search (degraded mode), so only the database decides 503.
  const status = database.ok ? 200 : 503;
  return json(
    { status: database.ok ? (search.ok ? "ok" : "degraded") : "down", database, search },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}

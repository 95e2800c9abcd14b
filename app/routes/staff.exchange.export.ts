import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/auth/guards.server";
import { serializeExchangeFile } from "~/cli/exchange-file";
import { exportCatalogue } from "~/models/exchange.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const catalogue = await exportCatalogue();
  const day = new Date().toISOString().slice(0, 10);
  return new Response(serializeExchangeFile(catalogue), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="enlace-catalogue-${day}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}

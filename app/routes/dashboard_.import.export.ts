import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { serializeExchangeFile } from "~/cli/exchange-file";
import { exportCatalogue, getOrganizationKey } from "~/models/exchange.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!user.organizationId) throw new Response("Only members of an organization have records to download", { status: 403 });
  const [catalogue, key] = await Promise.all([
    exportCatalogue({ organizationId: user.organizationId }),
    getOrganizationKey({ organizationId: user.organizationId }),
  ]);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(serializeExchangeFile(catalogue), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${key}-${day}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}

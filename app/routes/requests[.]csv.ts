import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { listExchangeRequests } from "~/models/exchange.server";
import { isVerified } from "~/models/offer-rules";
import { csvQuerySchema, parseQuery } from "~/schemas/api";
import { csvResponse, requestsToCsv } from "~/utils/exchange-csv.server";

export async function loader({ request }: LoaderFunctionArgs) {
  // Requests are for verified members and staff, as on the /requests page.
  const user = await requireUser(request);
  if (!isVerified(user)) throw new Response("Requests are open to verified members and staff", { status: 403 });
  const query = parseQuery(csvQuerySchema, new URL(request.url).searchParams);
  if (!query.ok) return new Response(query.errors.join("\n"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const { page: _page, ...filters } = query.data;
  const requests = await listExchangeRequests({ viewer: user, filters: { ...filters, status: "open" }, range: "all" });
  return csvResponse(requestsToCsv(requests.items), "enlace-requests");
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOptionalUser } from "~/auth/session.server";
import { listExchangeOffers } from "~/models/exchange.server";
import { csvQuerySchema, parseQuery } from "~/schemas/api";
import { csvResponse, offersToCsv } from "~/utils/exchange-csv.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseQuery(csvQuerySchema, new URL(request.url).searchParams);
  if (!query.ok) return new Response(query.errors.join("\n"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const { page: _page, ...filters } = query.data;
  const viewer = await getOptionalUser(request);
  // The published offers, as the /offers page lists them.
  const offers = await listExchangeOffers({ viewer, filters: { ...filters, status: "published" }, range: "all" });
  return csvResponse(offersToCsv(offers.items), "enlace-offers");
}

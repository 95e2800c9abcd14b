import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOptionalUser } from "~/auth/session.server";
import { listExchangeOffers } from "~/models/exchange.server";
import { apiOffersQuerySchema, parseQuery } from "~/schemas/api";
import { apiError, apiPage } from "~/utils/exchange-api.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = parseQuery(apiOffersQuerySchema, url.searchParams);
  if (!query.ok) return apiError(400, "Invalid query parameters", query.errors);
  const generatedAt = new Date();
  const { page, pageSize, ...filters } = query.data;
  // Visitors get published offers; members also their organization's others; staff all.
  const viewer = await getOptionalUser(request);
  const offers = await listExchangeOffers({ viewer, filters, range: { page, pageSize } });
  return apiPage({ url, items: offers.items, total: offers.total, page, pageSize, generatedAt });
}

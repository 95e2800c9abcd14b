import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOptionalUser } from "~/auth/session.server";
import { listExchangeRequests } from "~/models/exchange.server";
import { apiRequestsQuerySchema, parseQuery } from "~/schemas/api";
import { apiError, apiPage } from "~/utils/exchange-api.server";

export async function loader({ request }: LoaderFunctionArgs) {
  // An API answers 401 rather than redirecting to the log-in page.
  const viewer = await getOptionalUser(request);
  if (!viewer) return apiError(401, "Requests are for signed-in members and staff: sign in first");
  const url = new URL(request.url);
  const query = parseQuery(apiRequestsQuerySchema, url.searchParams);
  if (!query.ok) return apiError(400, "Invalid query parameters", query.errors);
  const generatedAt = new Date();
  const { page, pageSize, ...filters } = query.data;
  // Verified members and staff get open requests (staff all); everyone their organization's own.
  const requests = await listExchangeRequests({ viewer, filters, range: { page, pageSize } });
  return apiPage({ url, items: requests.items, total: requests.total, page, pageSize, generatedAt });
}

// The read-only JSON API's envelope and errors (docs/api.md): records in the exchange
// format's shape under `data`, paging under `pagination`, problems under `error`.
import { json } from "@remix-run/node";

const API_HEADERS = {
  // Answers depend on who asks (members also see their own drafts): never shared by caches.
  "Cache-Control": "private, no-store",
  Vary: "Cookie",
};

export type ApiError = { error: { status: number; message: string; details: string[] } };

export function apiError(status: 400 | 401 | 403, message: string, details: string[] = []) {
  return json<ApiError>({ error: { status, message, details } }, { status, headers: API_HEADERS });
}

function pageUrl(url: URL, page: number): string {
  const target = new URL(url);
  target.searchParams.set("page", String(page));
  return `${target.pathname}${target.search}`;
}

/** One page of records with what a client needs to fetch the others. */
export function apiPage<Item>({
  url,
  items,
  total,
  page,
  pageSize,
  generatedAt,
}: {
  url: URL;
  items: Item[];
  total: number;
  page: number;
  pageSize: number;
  generatedAt: Date;
}) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  return json(
    {
      data: items,
      pagination: {
        page,
        pageSize,
        total,
        pageCount,
        next: page < pageCount ? pageUrl(url, page + 1) : null,
        previous: page > 1 ? pageUrl(url, Math.min(page - 1, pageCount)) : null,
      },
      // Taken before the query: the next incremental sync asks for updatedSince=generatedAt.
      generatedAt: generatedAt.toISOString(),
    },
    { headers: API_HEADERS },
  );
}

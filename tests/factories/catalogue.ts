// Offers and requests for tests, written straight to the test database, and the small HTTP
// helpers the catalogue tests use to call loaders and actions with real Request objects.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { installJobQueue } from "~/jobs/queue.server";
import { getPrisma } from "~/utils/db.server";
import { uniqueSuffix } from "./users";

export const BASE_URL = "http://localhost";

// ---------------------------------------------------------------------------------------
// Records

export async function insertOffer(options: {
  organizationId: string;
  status?: "draft" | "published" | "archived";
  title?: string;
  themes?: string[];
  modalities?: string[];
  language?: string;
  evidence?: string | null;
}) {
  const suffix = uniqueSuffix();
  const status = options.status ?? "published";
  return getPrisma().offer.create({
    data: {
      key: `test-offer-${suffix}`,
      organizationId: options.organizationId,
      title: options.title ?? `Test program ${suffix}`,
      summary: "A program that worked and can be replicated.",
      language: options.language ?? "en",
      themes: options.themes ?? ["entrepreneurship"],
      modalities: options.modalities ?? ["study-visit"],
      workingLanguages: ["en", "es"],
      evidence: options.evidence ?? null,
      status,
      publishedAt: status === "published" ? new Date() : null,
    },
    select: { id: true, key: true, title: true, status: true, organizationId: true },
  });
}

export async function insertRequest(options: {
  organizationId: string;
  status?: "draft" | "open" | "closed";
  title?: string;
  themes?: string[];
  modalities?: string[];
}) {
  const suffix = uniqueSuffix();
  const status = options.status ?? "open";
  return getPrisma().request.create({
    data: {
      key: `test-request-${suffix}`,
      organizationId: options.organizationId,
      title: options.title ?? `Test need ${suffix}`,
      summary: "A need for technical assistance.",
      language: "es",
      themes: options.themes ?? ["youth-employment"],
      modalities: options.modalities ?? [],
      workingLanguages: ["es"],
      status,
      publishedAt: status === "open" ? new Date() : null,
    },
    select: { id: true, key: true, title: true, status: true, organizationId: true },
  });
}

/**
 * Moves a record's last edit and confirmation into the past, as if nobody had touched it since.
 * Raw SQL because Prisma sets `updatedAt` itself on every update.
 */
export async function backdate({ table, id, to }: { table: "offer" | "request"; id: string; to: Date }) {
  const prisma = getPrisma();
  if (table === "offer") {
    await prisma.$executeRaw`update "offer" set updated_at = ${to}, confirmed_current_at = ${to} where id = ${id}::uuid`;
  } else {
    await prisma.$executeRaw`update "request" set updated_at = ${to}, confirmed_current_at = ${to} where id = ${id}::uuid`;
  }
}

export function monthsAgo(months: number, from = new Date()): Date {
  const date = new Date(from.getTime());
  date.setUTCMonth(date.getUTCMonth() - months);
  return date;
}

/** The search-sync jobs queued for a record (the outbox the writes fill). */
export async function searchJobsFor({ offerId, requestId }: { offerId?: string; requestId?: string }): Promise<number> {
  // The public `jobs` view leaves the payload out; the private tables hold it.
  const rows = await getPrisma().$queryRaw<Array<{ payload: unknown }>>`
    select jobs.payload from graphile_worker._private_jobs as jobs
    join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
    where tasks.identifier = 'search-sync'`;
  return rows.filter((row) => {
    const text = JSON.stringify(row.payload);
    return (offerId && text.includes(offerId)) || (requestId && text.includes(requestId));
  }).length;
}

/** The queue's schema; the server installs it at boot, tests that write records need it too. */
export async function ensureJobQueue() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  await installJobQueue(url);
}

// ---------------------------------------------------------------------------------------
// Requests and responses

export function getRequest(path: string, { cookie }: { cookie?: string } = {}): Request {
  return new Request(`${BASE_URL}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export type FormFields = Record<string, string | string[]>;

export function postRequest(path: string, fields: FormFields, { cookie }: { cookie?: string } = {}): Request {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return new Request(`${BASE_URL}${path}`, { method: "POST", body, headers: cookie ? { Cookie: cookie } : {} });
}

type RouteFunction = (args: LoaderFunctionArgs) => Promise<Response>;

/** The response of a loader or action, whether it returned it or threw it (guards throw). */
export async function respond(route: RouteFunction, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    return await route({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** The per-field errors of a conform submission answered with `json({ result })`. */
export async function fieldErrors(response: Response): Promise<Record<string, string[]>> {
  const body: unknown = await response.json();
  if (typeof body !== "object" || body === null || !("result" in body)) throw new Error("no submission result in the response");
  const result = body.result;
  if (typeof result !== "object" || result === null || !("error" in result)) return {};
  const error = result.error;
  if (typeof error !== "object" || error === null) return {};
  return Object.fromEntries(Object.entries(error).map(([field, messages]) => [field, Array.isArray(messages) ? messages.map(String) : []]));
}

export function idFromLocation(response: Response, prefix: "/offers/" | "/requests/"): string {
  const location = response.headers.get("Location") ?? "";
  if (!location.startsWith(prefix)) throw new Error(`expected a redirect to ${prefix}<id>, got "${location}"`);
  return location.slice(prefix.length);
}

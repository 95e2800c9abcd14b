import { redirect } from "@remix-run/node";
import { getOptionalUser, type SessionUser } from "~/auth/session.server";

export type ActiveMember = SessionUser & { status: "active"; organizationId: string };

/** The log-in page, told to come back to where the visitor was going. */
export function loginRedirectUrl(request: Request): string {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return back === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo: back })}`;
}

function forbidden(): Response {
  return new Response("Forbidden", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

function isStaffRole(role: SessionUser["role"]): boolean {
  return role === "staff" || role === "admin";
}

/** The signed-in user; anonymous visitors are sent to log in (thrown redirect). */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) throw redirect(loginRedirectUrl(request));
  return user;
}

/** A member whose account staff have verified and who belongs to an organization: may publish. */
export async function requireActiveMember(request: Request): Promise<ActiveMember> {
  const user = await requireUser(request);
  const { status, organizationId } = user;
  if (status !== "active" || organizationId === null) throw forbidden();
  return { ...user, status, organizationId };
}

/** OAS staff or an administrator. */
export async function requireStaff(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!isStaffRole(user.role)) throw forbidden();
  return user;
}

export async function requireAdmin(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.role !== "admin") throw forbidden();
  return user;
}

/**
 * A user of the given organization (pending members included: they may draft). With
 * `allowStaff`, OAS staff and administrators pass too, for pages where staff act for agencies.
 */
export async function requireOrganizationMember(
  request: Request,
  organizationId: string,
  { allowStaff = false }: { allowStaff?: boolean } = {},
): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.organizationId === organizationId) return user;
  if (allowStaff && isStaffRole(user.role)) return user;
  throw forbidden();
}

export function isStaff(user: Pick<SessionUser, "role"> | null | undefined): boolean {
  return user ? isStaffRole(user.role) : false;
}

import { isStaff } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/session.server";

/**
 * Requests for assistance are shown to OAS staff and to verified (active) members of an
 * organization only; everyone else searches offers.
 */
export function canSearchRequests(user: Pick<SessionUser, "role" | "status" | "organizationId"> | null): boolean {
  if (!user) return false;
  if (isStaff(user)) return true;
  return user.status === "active" && user.organizationId !== null;
}

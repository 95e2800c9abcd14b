import { getPrisma } from "~/utils/db.server";

// What a request knows about its signed-in user; keep it small, it is read on every request.
const sessionUserSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  status: true,
  organizationId: true,
  preferredLanguage: true,
} as const;

const sessionSelect = { id: true, userId: true, expiresAt: true } as const;

export async function getSessionWithUser({ sessionId }: { sessionId: string }) {
  const session = await getPrisma().session.findUnique({
    where: { id: sessionId },
    select: { ...sessionSelect, user: { select: sessionUserSelect } },
  });
  if (!session) return null;
  const { user, ...rest } = session;
  return { session: rest, user };
}

export async function listUserSessions({ userId }: { userId: string }) {
  return getPrisma().session.findMany({ where: { userId }, select: sessionSelect, orderBy: { createdAt: "asc" } });
}

export async function createSession({ id, userId, expiresAt }: { id: string; userId: string; expiresAt: Date }) {
  await getPrisma().session.create({ data: { id, userId, expiresAt }, select: { id: true } });
}

export async function updateSessionExpiry({ sessionId, expiresAt }: { sessionId: string; expiresAt: Date }) {
  // updateMany: the session may have been deleted meanwhile (log-out in another tab), which is not an error.
  await getPrisma().session.updateMany({ where: { id: sessionId }, data: { expiresAt } });
}

export async function deleteSession({ sessionId }: { sessionId: string }) {
  await getPrisma().session.deleteMany({ where: { id: sessionId } });
}

export async function deleteUserSessions({ userId }: { userId: string }) {
  await getPrisma().session.deleteMany({ where: { userId } });
}

export async function deleteExpiredSessions({ now = new Date() }: { now?: Date } = {}) {
  const { count } = await getPrisma().session.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}

import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { AccountStatus, UserRole } from "~/generated/prisma/client";
import {
  createSession,
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  getSessionWithUser,
  listUserSessions,
  updateSessionExpiry,
} from "~/models/session.server";
import { getEnv } from "~/utils/env.server";

export const SESSION_COOKIE_NAME = "enlace_session";

type DatabaseUserAttributes = {
  name: string;
  email: string;
  role: UserRole;
  status: AccountStatus;
  organizationId: string | null;
  preferredLanguage: string;
};

// lucia's Prisma adapter does not support Prisma 7, so sessions go through our own model module.
const adapter: Adapter = {
  async getSessionAndUser(sessionId): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const found = await getSessionWithUser({ sessionId });
    if (!found) return [null, null];
    const { session, user } = found;
    const { id, ...attributes } = user;
    return [
      { id: session.id, userId: session.userId, expiresAt: session.expiresAt, attributes: {} },
      { id, attributes },
    ];
  },
  async getUserSessions(userId) {
    const sessions = await listUserSessions({ userId });
    return sessions.map((session) => ({ ...session, attributes: {} }));
  },
  async setSession(session) {
    await createSession({ id: session.id, userId: session.userId, expiresAt: session.expiresAt });
  },
  async updateSessionExpiration(sessionId, expiresAt) {
    await updateSessionExpiry({ sessionId, expiresAt });
  },
  async deleteSession(sessionId) {
    await deleteSession({ sessionId });
  },
  async deleteUserSessions(userId) {
    await deleteUserSessions({ userId });
  },
  async deleteExpiredSessions() {
    await deleteExpiredSessions();
  },
};

function createLucia() {
  return new Lucia(adapter, {
    // lucia extends a session used in the second half of its life by another 30 days.
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: {
      name: SESSION_COOKIE_NAME,
      // The cookie outlives the session and the database decides: lucia renews a session's expiry
      // on use, and loaders (the root one included) then need not send a fresh cookie.
      expires: false,
      attributes: { sameSite: "lax", secure: getEnv().NODE_ENV === "production", path: "/" },
    },
    getUserAttributes: (attributes) => attributes,
  });
}

let instance: ReturnType<typeof createLucia> | undefined;

/** Created on first use: the environment is only complete once the boot sequence has run. */
export function getLucia() {
  instance ??= createLucia();
  return instance;
}

declare module "lucia" {
  // Module augmentation only works with an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    UserId: string;
    DatabaseUserAttributes: DatabaseUserAttributes;
  }
}

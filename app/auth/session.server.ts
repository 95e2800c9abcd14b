import { getLucia } from "~/auth/lucia.server";

export type SessionUser = {
  id: string;
  name: string;
  email: string;
  role: "member" | "staff" | "admin";
  status: "pending" | "active" | "refused";
  organizationId: string | null;
  preferredLanguage: string;
};

type CurrentSession = { sessionId: string; user: SessionUser };

// The root loader and the route loaders of one request each ask who is signed in; they share
// one database look-up. They are given the same Request object thanks to the server-runtime
// patch (patches/, decision record 019); unpatched Remix hands each loader its own copy.
const sessionsByRequest = new WeakMap<Request, Promise<CurrentSession | null>>();

export function readSessionId(request: Request): string | null {
  return getLucia().readSessionCookie(request.headers.get("Cookie") ?? "");
}

async function loadSession(request: Request): Promise<CurrentSession | null> {
  const sessionId = readSessionId(request);
  if (!sessionId) return null;
  const { session, user } = await getLucia().validateSession(sessionId);
  // A refused account cannot log in; refusing one also ends its sessions, this is the backstop.
  if (!session || user.status === "refused") return null;
  return {
    sessionId: session.id,
    user: {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      status: user.status,
      organizationId: user.organizationId,
      preferredLanguage: user.preferredLanguage,
    },
  };
}

export function getCurrentSession(request: Request): Promise<CurrentSession | null> {
  let pending = sessionsByRequest.get(request);
  if (!pending) {
    pending = loadSession(request);
    sessionsByRequest.set(request, pending);
  }
  return pending;
}

export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  return (await getCurrentSession(request))?.user ?? null;
}

/** Starts a session and returns the Set-Cookie header value that carries its id (and only its id). */
export async function createUserSession(userId: string): Promise<string> {
  const lucia = getLucia();
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

/** Ends the request's session, if any, and returns the Set-Cookie header value that clears the cookie. */
export async function destroyCurrentSession(request: Request): Promise<string> {
  const lucia = getLucia();
  const sessionId = readSessionId(request);
  if (sessionId) await lucia.invalidateSession(sessionId);
  sessionsByRequest.delete(request);
  return lucia.createBlankSessionCookie().serialize();
}

export async function deleteExpiredSessions(): Promise<void> {
  await getLucia().deleteExpiredSessions();
}

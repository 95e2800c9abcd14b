import { randomBytes } from "node:crypto";
import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { z } from "zod";
import { getEnv } from "~/utils/env.server";

export const flashSchema = z.object({
  type: z.enum(["success", "info", "warning", "error"]),
  text: z.string().min(1),
});
export type Flash = z.infer<typeof flashSchema>;

const FLASH_KEY = "flash";

function createFlashStorage() {
  const env = getEnv();
  return createCookieSessionStorage({
    cookie: {
      name: "enlace_flash",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: env.NODE_ENV === "production",
      // The server always sets SESSION_SECRET at boot; tests calling actions directly may not, and
      // a flash only has to survive one redirect, so a per-process secret does there.
      secrets: [env.SESSION_SECRET ?? randomBytes(32).toString("hex")],
    },
  });
}

let storage: ReturnType<typeof createFlashStorage> | undefined;

function getFlashStorage() {
  storage ??= createFlashStorage();
  return storage;
}

/**
 * A redirect that shows `message` once on the next page. `init.headers` are kept, so a
 * Set-Cookie of the caller's (a new session cookie) travels with the flash cookie.
 */
export async function redirectWithFlash(url: string, message: string | Flash, init: ResponseInit = {}): Promise<Response> {
  const flash: Flash = typeof message === "string" ? { type: "success", text: message } : message;
  const flashStorage = getFlashStorage();
  const session = await flashStorage.getSession();
  session.flash(FLASH_KEY, flash);
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await flashStorage.commitSession(session));
  return redirect(url, { ...init, headers });
}

/**
 * The message left by the previous request, and the headers that consume it: the loader must
 * send `headers` with its response, or the message shows again.
 */
export async function getFlash(request: Request): Promise<{ flash: Flash | null; headers: Headers }> {
  const flashStorage = getFlashStorage();
  const cookie = request.headers.get("Cookie");
  const headers = new Headers();
  if (!cookie?.includes("enlace_flash=")) return { flash: null, headers };
  const session = await flashStorage.getSession(cookie);
  const parsed = flashSchema.safeParse(session.get(FLASH_KEY));
  // The cookie holds nothing but the flash, so reading it ends the cookie.
  headers.append("Set-Cookie", await flashStorage.destroySession(session));
  return { flash: parsed.success ? parsed.data : null, headers };
}

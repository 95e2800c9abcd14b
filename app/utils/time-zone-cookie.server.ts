import { createCookie } from "@remix-run/node";
import { isTimeZone } from "~/utils/time-zone";

// The viewer's chosen time zone for meeting times. Without one, pages render UTC on the server
// and switch to the device's zone once the browser runs them.
export const timeZoneCookie = createCookie("enlace_tz", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export async function readTimeZoneChoice(request: Request): Promise<string | null> {
  const value: unknown = await timeZoneCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && isTimeZone(value) ? value : null;
}

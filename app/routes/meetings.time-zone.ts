import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { redirectWithFlash } from "~/auth/flash.server";
import { i18nServer } from "~/i18n/i18next.server";
import { timeZoneChoiceSchema } from "~/schemas/meeting";
import { readableTimeZone } from "~/utils/time-zone";
import { timeZoneCookie } from "~/utils/time-zone-cookie.server";
import { safeRedirectPath } from "~/utils/redirect";

export async function action({ request }: ActionFunctionArgs) {
  const parsed = timeZoneChoiceSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return new Response("timeZone: choose a time zone from the list", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const t = await i18nServer.getFixedT(request, "meetings");
  const { timeZone } = parsed.data;
  const cookie = timeZone ? await timeZoneCookie.serialize(timeZone) : await timeZoneCookie.serialize("", { maxAge: 0 });
  return redirectWithFlash(
    safeRedirectPath(parsed.data.redirectTo, "/meetings"),
    timeZone ? t("time.chosen", { zone: readableTimeZone(timeZone) }) : t("time.followDevice"),
    { headers: { "Set-Cookie": cookie } },
  );
}

export async function loader() {
  return redirect("/meetings");
}

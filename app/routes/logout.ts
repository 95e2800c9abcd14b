import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { redirectWithFlash } from "~/auth/flash.server";
import { destroyCurrentSession } from "~/auth/session.server";
import { i18nServer } from "~/i18n/i18next.server";

export async function action({ request }: ActionFunctionArgs) {
  const [blankCookie, t] = await Promise.all([destroyCurrentSession(request), i18nServer.getFixedT(request, "auth")]);
  return redirectWithFlash("/login", { type: "info", text: t("logout.done") }, { headers: { "Set-Cookie": blankCookie } });
}

// Logging out changes state, so it only happens by POST; a link or a prefetch must not do it.
export async function loader() {
  return redirect("/");
}

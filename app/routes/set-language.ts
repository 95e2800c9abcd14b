import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser } from "~/auth/session.server";
import { UI_LOCALES } from "~/i18n/config";
import { localeCookie } from "~/i18n/i18next.server";
import { updatePreferredLanguage } from "~/models/user.server";
import { safeRedirectPath } from "~/utils/redirect";

const setLanguageSchema = z.object({
  locale: z.enum(UI_LOCALES),
  redirectTo: z.string().optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const parsed = setLanguageSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return new Response("locale: must be one of " + UI_LOCALES.join(", "), { status: 400 });
  }
  const user = await getOptionalUser(request);
  if (user) await updatePreferredLanguage({ userId: user.id, language: parsed.data.locale });
  return redirect(safeRedirectPath(parsed.data.redirectTo), {
    headers: { "Set-Cookie": await localeCookie.serialize(parsed.data.locale) },
  });
}

export async function loader() {
  return redirect("/");
}

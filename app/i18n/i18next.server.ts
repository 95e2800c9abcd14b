import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { DEFAULT_NAMESPACE, DEFAULT_UI_LOCALE, UI_LOCALES } from "./config";
import { resources } from "./resources";

export const localeCookie = createCookie("enlace_lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

// Order: an explicit choice (cookie, set by the language switcher or at log-in from the user's
// preference) wins over the browser's Accept-Language.
export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...UI_LOCALES],
    fallbackLanguage: DEFAULT_UI_LOCALE,
    cookie: localeCookie,
    order: ["cookie", "header"],
  },
  i18next: {
    resources,
    defaultNS: DEFAULT_NAMESPACE,
    fallbackLng: DEFAULT_UI_LOCALE,
    interpolation: { escapeValue: false },
  },
});

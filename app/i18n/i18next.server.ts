import { createCookie } from "@remix-run/node";
import { createInstance, type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { RemixI18Next } from "remix-i18next/server";
import { DEFAULT_NAMESPACE, DEFAULT_UI_LOCALE, isUiLocale, UI_LOCALES, type UiLocale } from "./config";
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

// One initialized i18next instance per UI language for the life of the process. remix-i18next
// builds and initializes a new instance on every getFixedT call and the page render built
// another: with every resource bundled in memory, that was a tenth of a page's server time.
// Shared instances are safe because the server never changes their language.
const instances = new Map<UiLocale, Promise<i18n>>();

/** The process's i18next instance for this language (an unknown code gets the default language). */
export function i18nextFor(locale: string): Promise<i18n> {
  const language = isUiLocale(locale) ? locale : DEFAULT_UI_LOCALE;
  let instance = instances.get(language);
  if (!instance) {
    const created = createInstance();
    instance = created
      .use(initReactI18next)
      .init({ lng: language, fallbackLng: DEFAULT_UI_LOCALE, defaultNS: DEFAULT_NAMESPACE, resources, interpolation: { escapeValue: false } })
      .then(() => created);
    instances.set(language, instance);
  }
  return instance;
}

i18nServer.getFixedT = (async (requestOrLocale: string | Request, namespaces?: string | readonly string[], options: { keyPrefix?: string } = {}) => {
  const locale = typeof requestOrLocale === "string" ? requestOrLocale : await i18nServer.getLocale(requestOrLocale);
  const instance = await i18nextFor(locale);
  // The signature callers see is RemixI18Next's (asserted below); i18next's own is keyed by our resources.
  return instance.getFixedT(isUiLocale(locale) ? locale : DEFAULT_UI_LOCALE, namespaces as never, options.keyPrefix as never);
}) as RemixI18Next["getFixedT"];

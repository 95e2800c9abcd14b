/**
 * UI languages. Adding Portuguese or French means adding its code here and its locale files
 * under app/i18n/locales/<code>/; no component changes.
 */
export const UI_LOCALES = ["en", "es"] as const;
export type UiLocale = (typeof UI_LOCALES)[number];
export const DEFAULT_UI_LOCALE: UiLocale = "en";
export const DEFAULT_NAMESPACE = "common";

export function isUiLocale(value: unknown): value is UiLocale {
  return typeof value === "string" && (UI_LOCALES as readonly string[]).includes(value);
}

/** BCP 47 tags used for Intl formatting of dates and numbers. */
export const INTL_TAG: Record<UiLocale, string> = { en: "en-US", es: "es-419" };

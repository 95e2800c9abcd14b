/**
 * Texts looked up by a key only known at run time ("namespace:dotted.path"), such as a
 * notification's kind. Typed `t()` only accepts keys known when compiling, so these are read
 * from the bundled resources directly; `{{name}}` placeholders are filled from `params`.
 */
import { DEFAULT_UI_LOCALE, isUiLocale, type UiLocale } from "~/i18n/config";
import { resources } from "~/i18n/resources";

const MESSAGE_KEY = /^([a-z][\w-]*):([\w-]+(?:\.[\w-]+)*)$/i;

export type MessageParams = Readonly<Record<string, string | number>>;

/** The UI language a text for someone preferring `language` is written in (pt and fr read English for now). */
export function messageLocale(language: string | null | undefined): UiLocale {
  return isUiLocale(language) ? language : DEFAULT_UI_LOCALE;
}

export function isMessageKey(key: string): boolean {
  return MESSAGE_KEY.test(key);
}

function lookup(locale: UiLocale, key: string): string | undefined {
  const match = MESSAGE_KEY.exec(key);
  if (!match) return undefined;
  const [, namespace, path] = match;
  let node: unknown = resources[locale];
  for (const segment of [namespace, ...path.split(".")]) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = Reflect.get(node, segment);
  }
  return typeof node === "string" ? node : undefined;
}

/** The text in `locale`, else in English, else undefined. */
export function findMessage(locale: string, key: string, params: MessageParams = {}): string | undefined {
  const template = lookup(messageLocale(locale), key) ?? lookup(DEFAULT_UI_LOCALE, key);
  return template === undefined ? undefined : interpolate(template, params);
}

export function interpolate(template: string, params: MessageParams): string {
  return template.replace(/\{\{\s*([\w-]+)\s*\}\}/g, (_placeholder, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : "",
  );
}

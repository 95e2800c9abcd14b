// Intl formatters are costly to build (a fraction of a millisecond each, per call site and
// per render) and immutable once built: one per locale and options, kept for the process.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.Collator>();
// Time zones come from visitors (any casing of a valid zone is valid): a bound keeps the map small.
const MAX_FORMATTERS = 500;

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.Collator>(kind: string, locale: string, options: object | undefined, build: () => T): T {
  const key = `${kind}|${locale}|${options ? JSON.stringify(options) : ""}`;
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = build();
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

export function dateTimeFormat(locale: string, options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached("date", locale, options, () => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(locale: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached("number", locale, options, () => new Intl.NumberFormat(locale, options));
}

export function collator(locale: string, options?: Intl.CollatorOptions): Intl.Collator {
  return cached("collator", locale, options, () => new Intl.Collator(locale, options));
}

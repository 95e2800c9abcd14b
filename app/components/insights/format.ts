import { INTL_TAG, isUiLocale, type UiLocale } from "~/i18n/config";
import { numberFormat } from "~/utils/intl";

export function uiLocale(language: string): UiLocale {
  return isUiLocale(language) ? language : "en";
}

export function numberFormatter(locale: UiLocale) {
  const integer = numberFormat(INTL_TAG[locale]);
  const decimal = numberFormat(INTL_TAG[locale], { maximumFractionDigits: 1 });
  const percent = numberFormat(INTL_TAG[locale], { style: "percent", maximumFractionDigits: 1 });
  return {
    integer: (value: number) => integer.format(value),
    decimal: (value: number) => decimal.format(value),
    percent: (value: number | null) => (value === null ? "–" : percent.format(value)),
  };
}

/** Days rounded to one decimal, as the CSV files and tables give them. */
export function roundDays(days: number | null): number | null {
  return days === null ? null : Math.round(days * 10) / 10;
}

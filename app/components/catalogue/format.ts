import { useTranslation } from "react-i18next";
import { DEFAULT_UI_LOCALE, INTL_TAG, isUiLocale, type UiLocale } from "~/i18n/config";
import { isVocabularyCode, vocabularyLabel, type VocabularyName } from "~/schemas/vocabulary";
import { dateTimeFormat, numberFormat } from "~/utils/intl";

export type CatalogueFormat = {
  locale: UiLocale;
  date: (value: string | Date) => string;
  number: (value: number) => string;
  label: (vocabulary: VocabularyName, code: string) => string;
};

/**
 * Dates, numbers and vocabulary labels in the language of the page. Dates are shown in UTC so
 * the server's and the browser's renderings agree (records carry days, not hours, for readers).
 */
export function useCatalogueFormat(): CatalogueFormat {
  const { i18n } = useTranslation();
  const locale = isUiLocale(i18n.language) ? i18n.language : DEFAULT_UI_LOCALE;
  const tag = INTL_TAG[locale];
  const dates = dateTimeFormat(tag, { dateStyle: "long", timeZone: "UTC" });
  const numbers = numberFormat(tag);
  return {
    locale,
    date: (value) => dates.format(typeof value === "string" ? new Date(value) : value),
    number: (value) => numbers.format(value),
    // Stored codes are plain strings; one that is not in the vocabulary is shown as it is.
    label: (vocabulary, code) => (isVocabularyCode(vocabulary, code) ? vocabularyLabel(vocabulary, code, locale) : code),
  };
}

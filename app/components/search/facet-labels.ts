import { useTranslation } from "react-i18next";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { EVIDENCE_LEVELS } from "~search/documents";
import { STALE_VALUES, type Facet } from "~search/facets";

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return values.some((candidate) => candidate === value);
}

/** The label of a facet value in the page's language. */
export function useFacetValueLabel(countryNames: ReadonlyMap<string, string>) {
  const { t } = useTranslation("search");
  const format = useCatalogueFormat();
  return (facet: Facet, value: string): string => {
    switch (facet.values.source) {
      case "vocabulary":
        return format.label(facet.values.vocabulary, value);
      case "country":
        return countryNames.get(value) ?? value;
      case "list":
        if (isOneOf(EVIDENCE_LEVELS, value)) return t(`evidence.${value}`);
        if (isOneOf(STALE_VALUES, value)) return t(`stale.${value}`);
        return value;
    }
  };
}

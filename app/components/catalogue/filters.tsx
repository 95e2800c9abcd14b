import { Form, Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { LANGUAGE_CODES, MODALITY_CODES, THEME_CODES, type VocabularyName } from "~/schemas/vocabulary";

export type FilterValues = { theme?: string; country?: string; modality?: string; language?: string };
export type CountryOption = { value: string; label: string };

/** A filter: any value, or one of the options. `idPrefix` keeps ids unique beside other forms. */
export function FilterSelect({
  name,
  label,
  anyLabel,
  value,
  options,
  idPrefix = "filter",
}: {
  name: string;
  label: string;
  anyLabel: string;
  value: string | null | undefined;
  options: ReadonlyArray<{ value: string; label: string }>;
  idPrefix?: string;
}) {
  const id = `${idPrefix}-${name}`;
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The list filters: a GET form, so it works without JavaScript and every filtered list has a
 * shareable URL. Submitting starts again at page 1.
 */
export function CatalogueFilters({ values, countries }: { values: FilterValues; countries: readonly CountryOption[] }) {
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  const location = useLocation();
  const options = (vocabulary: VocabularyName, codes: readonly string[]) =>
    codes.map((code) => ({ value: code, label: format.label(vocabulary, code) }));
  const hasFilters = Object.values(values).some(Boolean);
  return (
    <Form method="get" className="filters card" aria-labelledby="filters-heading" role="search">
      <h2 id="filters-heading" className="filters__heading">
        {t("filters.heading")}
      </h2>
      <div className="filters__grid">
        <FilterSelect name="theme" label={t("filters.theme")} anyLabel={t("filters.anyTheme")} value={values.theme} options={options("theme", THEME_CODES)} />
        <FilterSelect name="country" label={t("filters.country")} anyLabel={t("filters.anyCountry")} value={values.country} options={countries} />
        <FilterSelect
          name="modality"
          label={t("filters.modality")}
          anyLabel={t("filters.anyModality")}
          value={values.modality}
          options={options("modality", MODALITY_CODES)}
        />
        <FilterSelect
          name="language"
          label={t("filters.language")}
          anyLabel={t("filters.anyLanguage")}
          value={values.language}
          options={options("language", LANGUAGE_CODES)}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary">
          {t("filters.apply")}
        </button>
        {hasFilters ? (
          <Link to={location.pathname} className="button button--ghost">
            {t("filters.clear")}
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

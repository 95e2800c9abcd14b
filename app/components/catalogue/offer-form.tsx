import { useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CheckboxGroupField, ConformForm, FormErrors, SelectField, TextAreaField, TextField } from "~/components/forms";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { CATALOGUE_TEXT_LIMITS, offerFormSchema, type OfferFormInput } from "~/schemas/offer";
import { COST_SHARING_CODES, LANGUAGE_CODES, MODALITY_CODES, THEME_CODES, type VocabularyName } from "~/schemas/vocabulary";

export type OfferFormDefaults = {
  [Field in keyof OfferFormInput]?: Field extends "themes" | "modalities" | "workingLanguages" ? string[] : string;
};

/** The offer form, for creating and for editing. Posts to the page it is on. */
export function OfferForm({
  id,
  lastResult,
  defaultValue,
  submitLabel,
  cancelTo,
}: {
  id: string;
  lastResult: SubmissionResult<string[]> | undefined;
  defaultValue: OfferFormDefaults;
  submitLabel: string;
  cancelTo: string;
}) {
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: offerFormSchema });
    },
  });
  const options = (vocabulary: VocabularyName, codes: readonly string[]) =>
    codes.map((code) => ({ value: code, label: format.label(vocabulary, code) }));

  return (
    <ConformForm form={form} method="post" className="form catalogue-form">
      <FormErrors form={form} />
      <TextField meta={fields.title} label={t("fields.title")} hint={t("fields.titleHint")} />
      <TextAreaField meta={fields.summary} label={t("fields.summary")} hint={t("fields.summaryHint")} rows={4} maxLength={CATALOGUE_TEXT_LIMITS.summary} />
      <SelectField meta={fields.language} label={t("fields.language")} hint={t("fields.languageHint")} options={options("language", LANGUAGE_CODES)} />
      <TextAreaField
        meta={fields.description}
        label={t("fields.offerDescription")}
        hint={t("fields.offerDescriptionHint")}
        rows={10}
        maxLength={CATALOGUE_TEXT_LIMITS.description}
      />
      <CheckboxGroupField meta={fields.themes} label={t("fields.themes")} hint={t("fields.themesHint")} options={options("theme", THEME_CODES)} />
      <CheckboxGroupField
        meta={fields.modalities}
        label={t("fields.modalities")}
        hint={t("fields.modalitiesHint")}
        options={options("modality", MODALITY_CODES)}
      />
      <CheckboxGroupField
        meta={fields.workingLanguages}
        label={t("fields.workingLanguages")}
        hint={t("fields.workingLanguagesHint")}
        options={options("language", LANGUAGE_CODES)}
      />
      <TextAreaField
        meta={fields.targetPopulation}
        label={t("fields.targetPopulation")}
        hint={t("fields.targetPopulationHint")}
        rows={3}
        maxLength={CATALOGUE_TEXT_LIMITS.targetPopulation}
      />
      <TextAreaField meta={fields.evidence} label={t("fields.evidence")} hint={t("fields.evidenceHint")} rows={6} maxLength={CATALOGUE_TEXT_LIMITS.evidence} />
      <div className="form-row">
        <TextField meta={fields.capacityPerYear} type="number" inputMode="numeric" label={t("fields.capacityPerYear")} hint={t("fields.capacityPerYearHint")} />
        <SelectField meta={fields.costSharing} label={t("fields.costSharing")} options={options("costSharing", COST_SHARING_CODES)} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
        <Link to={cancelTo} className="button button--ghost">
          {t("form.cancel")}
        </Link>
      </div>
    </ConformForm>
  );
}

import { useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CheckboxGroupField, ConformForm, FormErrors, SelectField, TextAreaField, TextField } from "~/components/forms";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { CATALOGUE_TEXT_LIMITS } from "~/schemas/offer";
import { requestFormSchema, type RequestFormInput } from "~/schemas/request";
import { LANGUAGE_CODES, MODALITY_CODES, THEME_CODES, type VocabularyName } from "~/schemas/vocabulary";

export type RequestFormDefaults = {
  [Field in keyof RequestFormInput]?: Field extends "themes" | "modalities" | "workingLanguages" ? string[] : string;
};

/** The request form, for creating and for editing. Posts to the page it is on. */
export function RequestForm({
  id,
  lastResult,
  defaultValue,
  submitLabel,
  cancelTo,
  hiddenFields,
}: {
  id: string;
  lastResult: SubmissionResult<string[]> | undefined;
  defaultValue: RequestFormDefaults;
  submitLabel: string;
  cancelTo: string;
  hiddenFields?: Record<string, string>;
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
      return parseWithZod(formData, { schema: requestFormSchema });
    },
  });
  const options = (vocabulary: VocabularyName, codes: readonly string[]) =>
    codes.map((code) => ({ value: code, label: format.label(vocabulary, code) }));

  return (
    <ConformForm form={form} method="post" className="form catalogue-form">
      <FormErrors form={form} />
      {Object.entries(hiddenFields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <TextField meta={fields.title} label={t("fields.title")} hint={t("fields.titleHint")} />
      <TextAreaField meta={fields.summary} label={t("fields.summary")} hint={t("fields.summaryHint")} rows={4} maxLength={CATALOGUE_TEXT_LIMITS.summary} />
      <SelectField meta={fields.language} label={t("fields.language")} hint={t("fields.languageHint")} options={options("language", LANGUAGE_CODES)} />
      <TextAreaField
        meta={fields.description}
        label={t("fields.requestDescription")}
        hint={t("fields.requestDescriptionHint")}
        rows={10}
        maxLength={CATALOGUE_TEXT_LIMITS.description}
      />
      <CheckboxGroupField meta={fields.themes} label={t("fields.themes")} hint={t("fields.themesHint")} options={options("theme", THEME_CODES)} />
      <CheckboxGroupField
        meta={fields.modalities}
        label={t("fields.requestModalities")}
        hint={t("fields.requestModalitiesHint")}
        options={options("modality", MODALITY_CODES)}
      />
      <CheckboxGroupField
        meta={fields.workingLanguages}
        label={t("fields.workingLanguages")}
        hint={t("fields.workingLanguagesHint")}
        options={options("language", LANGUAGE_CODES)}
      />
      <div className="form-row">
        <TextField meta={fields.desiredStart} type="date" label={t("fields.desiredStart")} />
        <TextField meta={fields.desiredEnd} type="date" label={t("fields.desiredEnd")} />
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

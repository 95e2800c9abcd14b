import { getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConformForm, ErrorList, FormErrors, WithField } from "~/components/forms";
import { EXCHANGE_UPLOAD_MAX_BYTES, exchangeUploadSchema } from "~/schemas/exchange-upload";

/** The file upload of the bulk exchange pages; the action answers with the import report. */
export function ExchangeUploadForm({ id, lastResult }: { id: string; lastResult?: SubmissionResult<string[]> | null }) {
  const { t } = useTranslation("exchange");
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formMethod?.toUpperCase() === "POST";
  const [form, fields] = useForm({
    id,
    lastResult,
    shouldValidate: "onSubmit",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: exchangeUploadSchema });
    },
  });
  const size = `${EXCHANGE_UPLOAD_MAX_BYTES / (1024 * 1024)} MB`;
  return (
    <ConformForm form={form} method="post" encType="multipart/form-data" className="form">
      <FormErrors form={form} />
      <WithField meta={fields.file}>
        {(file) => {
          const { key, ...inputProps } = getInputProps(file, { type: "file", ariaDescribedBy: file.descriptionId });
          return (
            <div className="field">
              <label htmlFor={file.id} className="field__label">
                {t("upload.file")}
              </label>
              <div id={file.descriptionId} className="field__hint">
                {t("upload.hint", { size })}
              </div>
              <input key={key} {...inputProps} accept="application/json,.json" />
              <ErrorList id={file.errorId} errors={file.errors} />
            </div>
          );
        }}
      </WithField>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={submitting}>
          {submitting ? t("upload.submitting") : t("upload.submit")}
        </button>
      </div>
    </ConformForm>
  );
}

import {
  getCollectionProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type FieldMetadata,
  type FormMetadata,
} from "@conform-to/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * Form fields wired for conform and for assistive technology: every control has a <label>, and
 * its aria-describedby names its hint and, once invalid, its errors (aria-invalid="true").
 *
 * Error messages may be i18n keys written "namespace:key" (what the zod schemas in app/schemas
 * produce); they are shown in the reader's language. Any other text is shown as it is.
 */

// Conform's metadata is generic over each field's schema; these components accept any field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyField = FieldMetadata<any, any, string[]>;

type FieldBaseProps = {
  meta: AnyField;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
};

const MESSAGE_KEY = /^([a-z][\w-]*):([\w.-]+)$/i;

export function useErrorMessage(): (message: string) => string {
  const { i18n } = useTranslation();
  return (message: string) => {
    const match = MESSAGE_KEY.exec(message);
    if (!match) return message;
    const [, namespace, key] = match;
    for (const language of [i18n.resolvedLanguage ?? i18n.language, "en"]) {
      const resource: unknown = i18n.getResource(language, namespace, key);
      if (typeof resource === "string") return resource;
    }
    return message;
  };
}

/** The errors of one field or of the form, under the id that aria-describedby points at. */
export function ErrorList({ id, errors }: { id?: string; errors?: readonly string[] | null }) {
  const translate = useErrorMessage();
  const unique = errors ? [...new Set(errors)] : [];
  if (unique.length === 0) return null;
  return (
    <div id={id} className="field__error">
      {unique.map((error) => (
        <div key={error}>{translate(error)}</div>
      ))}
    </div>
  );
}

/** Errors about the whole submission (a refused log-in, a conflict), announced when they appear. */
export function FormErrors({ form }: { form: Pick<FormMetadata<Record<string, unknown>, string[]>, "errorId" | "errors"> }) {
  const translate = useErrorMessage();
  const errors = form.errors ? [...new Set(form.errors)] : [];
  return (
    <div id={form.errorId} role="alert">
      {errors.length > 0 ? (
        <div className="alert alert--danger">
          {errors.map((error) => (
            <div key={error}>{translate(error)}</div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <div id={id} className="field__hint">
      {children}
    </div>
  );
}

function describedBy(meta: AnyField, hint: ReactNode) {
  return hint ? meta.descriptionId : undefined;
}

type TextFieldProps = FieldBaseProps & {
  type?: "text" | "email" | "password" | "url" | "number" | "date" | "search" | "tel";
  autoComplete?: string;
  placeholder?: string;
  inputMode?: "text" | "email" | "numeric" | "decimal" | "tel" | "url" | "search";
  /** Fields that must not be refilled after a failed submission (passwords). */
  noDefaultValue?: boolean;
};

export function TextField({
  meta,
  label,
  hint,
  className,
  type = "text",
  autoComplete,
  placeholder,
  inputMode,
  noDefaultValue = false,
}: TextFieldProps) {
  // `key` is conform's way to reset an uncontrolled input; React wants it passed on its own.
  const { key, ...inputProps } = getInputProps(meta, {
    type,
    ariaDescribedBy: describedBy(meta, hint),
    ...(noDefaultValue ? { value: false } : {}),
  });
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={meta.id} className="field__label">
        {label}
      </label>
      <Hint id={meta.descriptionId}>{hint}</Hint>
      <input key={key} {...inputProps} autoComplete={autoComplete} placeholder={placeholder} inputMode={inputMode} />
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

type TextAreaFieldProps = FieldBaseProps & { rows?: number; maxLength?: number };

export function TextAreaField({ meta, label, hint, className, rows = 5, maxLength }: TextAreaFieldProps) {
  const { key, ...textareaProps } = getTextareaProps(meta, { ariaDescribedBy: describedBy(meta, hint) });
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={meta.id} className="field__label">
        {label}
      </label>
      <Hint id={meta.descriptionId}>{hint}</Hint>
      <textarea key={key} {...textareaProps} rows={rows} maxLength={maxLength ?? textareaProps.maxLength} />
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export type Option = { value: string; label: string };

type SelectFieldProps = FieldBaseProps & {
  options: readonly Option[];
  /** The first, empty choice ("Choose a country"); leave it out for a select with a default. */
  placeholder?: string;
  autoComplete?: string;
};

export function SelectField({ meta, label, hint, className, options, placeholder, autoComplete }: SelectFieldProps) {
  const { key, ...selectProps } = getSelectProps(meta, { ariaDescribedBy: describedBy(meta, hint) });
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={meta.id} className="field__label">
        {label}
      </label>
      <Hint id={meta.descriptionId}>{hint}</Hint>
      <select key={key} {...selectProps} autoComplete={autoComplete}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

type ChoiceGroupProps = FieldBaseProps & { options: readonly Option[] };

function ChoiceGroup({ meta, label, hint, className, options, type }: ChoiceGroupProps & { type: "checkbox" | "radio" }) {
  const invalid = Boolean(meta.errors?.length);
  const describedByIds = [hint ? meta.descriptionId : null, invalid ? meta.errorId : null].filter(Boolean).join(" ");
  const choices = getCollectionProps(meta, {
    type,
    options: options.map((option) => option.value),
    ariaAttributes: false,
  });
  const labels = new Map(options.map((option) => [option.value, option.label]));
  return (
    <fieldset
      className={className ? `checkbox-group ${className}` : "checkbox-group"}
      aria-describedby={describedByIds || undefined}
      aria-invalid={invalid || undefined}
    >
      <legend>{label}</legend>
      <Hint id={meta.descriptionId}>{hint}</Hint>
      {choices.map(({ key, ...choiceProps }) => (
        <div className="checkbox" key={key}>
          <input {...choiceProps} />
          <label htmlFor={choiceProps.id}>{labels.get(choiceProps.value) ?? choiceProps.value}</label>
        </div>
      ))}
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </fieldset>
  );
}

/** Several values out of a list (a vocabulary): one checkbox each, submitted under one name. */
export function CheckboxGroupField(props: ChoiceGroupProps) {
  return <ChoiceGroup {...props} type="checkbox" />;
}

/** Exactly one value out of a short list. */
export function RadioGroupField(props: ChoiceGroupProps) {
  return <ChoiceGroup {...props} type="radio" />;
}

import {
  FormProvider,
  getCollectionProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useField,
  useFormMetadata,
  type FieldMetadata,
  type FormMetadata,
} from "@conform-to/react";
import { Form, type FormProps } from "@remix-run/react";
import { createContext, useContext, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * Form fields wired for conform and for assistive technology: every control has a <label>, and
 * its aria-describedby names its hint and, once invalid, its errors (aria-invalid="true").
 *
 * Put them in a <ConformForm form={form}>: there each field subscribes to its own state
 * (conform's useField). Metadata passed down from the page is only re-read when the page
 * re-renders, and React may re-render a page without its children, so without ConformForm an
 * error can show one interaction late. (Fields still work outside it, as plain fields.)
 *
 * Error messages may be i18n keys written "namespace:key" (what the zod schemas in app/schemas
 * produce); they are shown in the reader's language. Any other text is shown as it is.
 */

// Conform's metadata is generic over each field's schema and error shape; these components
// accept any field and read its errors as strings.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyField = FieldMetadata<any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyForm = FormMetadata<any, any>;

const MESSAGE_KEY = /^([a-z][\w-]*):([\w.-]+)$/i;

function toMessages(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  return [...new Set(errors.filter((error): error is string => typeof error === "string"))];
}

/** Translates a "namespace:key" message; returns any other text unchanged. */
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

// The ids of the ConformForms around a component.
const ProvidedForms = createContext<readonly string[]>([]);

type ConformFormProps = Omit<FormProps, "id" | "onSubmit" | "noValidate"> & { form: AnyForm; children: ReactNode };

/** A Remix <Form> for a conform form (getFormProps), whose fields keep themselves up to date. */
export function ConformForm({ form, children, ...formProps }: ConformFormProps) {
  const parents = useContext(ProvidedForms);
  return (
    <FormProvider context={form.context}>
      <ProvidedForms.Provider value={[...parents, form.id]}>
        <Form {...formProps} {...getFormProps(form)}>
          {children}
        </Form>
      </ProvidedForms.Provider>
    </FormProvider>
  );
}

function SubscribedField({ meta, children }: { meta: AnyField; children: (meta: AnyField) => ReactNode }) {
  const [field] = useField(meta.name, { formId: meta.formId });
  return <>{children(field)}</>;
}

/**
 * Renders `children` with the field's current metadata: subscribed inside a ConformForm, as
 * given outside one. For custom fields built like the ones below.
 */
export function WithField({ meta, children }: { meta: AnyField; children: (meta: AnyField) => ReactNode }) {
  const provided = useContext(ProvidedForms).includes(meta.formId);
  if (provided) return <SubscribedField meta={meta}>{children}</SubscribedField>;
  return <>{children(meta)}</>;
}

/** The errors of one field, under the id that its control's aria-describedby points at. */
export function ErrorList({ id, errors }: { id?: string; errors?: unknown }) {
  const translate = useErrorMessage();
  const messages = toMessages(errors);
  if (messages.length === 0) return null;
  return (
    <div id={id} className="field__error">
      {messages.map((message) => (
        <div key={message}>{translate(message)}</div>
      ))}
    </div>
  );
}

function FormErrorsView({ errorId, errors }: { errorId: string; errors: unknown }) {
  const translate = useErrorMessage();
  const messages = toMessages(errors);
  // Always rendered, so screen readers announce messages that appear in it.
  return (
    <div id={errorId} role="alert">
      {messages.length > 0 ? (
        <div className="alert alert--danger">
          {messages.map((message) => (
            <div key={message}>{translate(message)}</div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function SubscribedFormErrors({ formId }: { formId: string }) {
  const form = useFormMetadata(formId);
  return <FormErrorsView errorId={form.errorId} errors={form.errors} />;
}

/** Errors about the whole submission (a refused log-in, a conflict), announced when they appear. */
export function FormErrors({ form }: { form: Pick<AnyForm, "id" | "errorId" | "errors"> }) {
  const provided = useContext(ProvidedForms).includes(form.id);
  if (provided) return <SubscribedFormErrors formId={form.id} />;
  return <FormErrorsView errorId={form.errorId} errors={form.errors} />;
}

type FieldBaseProps = {
  meta: AnyField;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
};

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

function fieldClass(base: string, className?: string) {
  return className ? `${base} ${className}` : base;
}

type TextFieldProps = FieldBaseProps & {
  type?: "text" | "email" | "password" | "url" | "number" | "date" | "datetime-local" | "search" | "tel";
  autoComplete?: string;
  placeholder?: string;
  inputMode?: "text" | "email" | "numeric" | "decimal" | "tel" | "url" | "search";
  /** Fields that must not be refilled after a failed submission (passwords). */
  noDefaultValue?: boolean;
};

export function TextField({ meta, ...props }: TextFieldProps) {
  return <WithField meta={meta}>{(current) => <TextFieldView meta={current} {...props} />}</WithField>;
}

function TextFieldView({
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
    <div className={fieldClass("field", className)}>
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

export function TextAreaField({ meta, ...props }: TextAreaFieldProps) {
  return <WithField meta={meta}>{(current) => <TextAreaFieldView meta={current} {...props} />}</WithField>;
}

function TextAreaFieldView({ meta, label, hint, className, rows = 5, maxLength }: TextAreaFieldProps) {
  const { key, ...textareaProps } = getTextareaProps(meta, { ariaDescribedBy: describedBy(meta, hint) });
  return (
    <div className={fieldClass("field", className)}>
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

export function SelectField({ meta, ...props }: SelectFieldProps) {
  return <WithField meta={meta}>{(current) => <SelectFieldView meta={current} {...props} />}</WithField>;
}

function SelectFieldView({ meta, label, hint, className, options, placeholder, autoComplete }: SelectFieldProps) {
  const { key, ...selectProps } = getSelectProps(meta, { ariaDescribedBy: describedBy(meta, hint) });
  return (
    <div className={fieldClass("field", className)}>
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

function ChoiceGroupView({ meta, label, hint, className, options, type }: ChoiceGroupProps & { type: "checkbox" | "radio" }) {
  const invalid = toMessages(meta.errors).length > 0;
  const describedByIds = [hint ? meta.descriptionId : null, invalid ? meta.errorId : null].filter(Boolean).join(" ");
  const choices = getCollectionProps(meta, {
    type,
    options: options.map((option) => option.value),
    ariaAttributes: false,
  });
  const labels = new Map(options.map((option) => [option.value, option.label]));
  return (
    <fieldset
      className={fieldClass("checkbox-group", className)}
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
export function CheckboxGroupField({ meta, ...props }: ChoiceGroupProps) {
  return <WithField meta={meta}>{(current) => <ChoiceGroupView meta={current} {...props} type="checkbox" />}</WithField>;
}

/** Exactly one value out of a short list. */
export function RadioGroupField({ meta, ...props }: ChoiceGroupProps) {
  return <WithField meta={meta}>{(current) => <ChoiceGroupView meta={current} {...props} type="radio" />}</WithField>;
}

import { getInputProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { ErrorList } from "~/components/forms";

/**
 * A date-and-time control (<input type="datetime-local">), wired like the fields of forms.tsx:
 * a label, a hint named by aria-describedby, the errors announced once invalid.
 */
export function DateTimeField({ meta, label, hint }: { meta: FieldMetadata<string, Record<string, unknown>, string[]>; label: ReactNode; hint?: ReactNode }) {
  const { key, ...inputProps } = getInputProps(meta, { type: "datetime-local", ariaDescribedBy: hint ? meta.descriptionId : undefined });
  return (
    <div className="field">
      <label htmlFor={meta.id} className="field__label">
        {label}
      </label>
      {hint ? (
        <div id={meta.descriptionId} className="field__hint">
          {hint}
        </div>
      ) : null}
      <input key={key} {...inputProps} />
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

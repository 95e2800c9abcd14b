import type { VocabularyName } from "~/schemas/vocabulary";
import { useCatalogueFormat } from "~/components/catalogue/format";

/** The labels of a list of vocabulary codes (themes, modalities...), in the page's language. */
export function VocabularyChips({
  vocabulary,
  codes,
  label,
  emptyText,
}: {
  vocabulary: VocabularyName;
  codes: readonly string[];
  label: string;
  emptyText?: string;
}) {
  const format = useCatalogueFormat();
  if (codes.length === 0) return emptyText ? <p className="muted">{emptyText}</p> : null;
  return (
    <ul className="chip-list" aria-label={label}>
      {codes.map((code) => (
        <li key={code} className="chip">
          {format.label(vocabulary, code)}
        </li>
      ))}
    </ul>
  );
}

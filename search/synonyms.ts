/**
 * Meilisearch synonyms from the thesaurus (search/thesaurus.json, data edited by people who know
 * the field). Every term of a group is a synonym of every other term of the same group, so the
 * relation is mutual; a term listed in two groups gets the union of both.
 */
import { z } from "zod";
import { THEME_CODES } from "~/schemas/vocabulary";
import thesaurusData from "./thesaurus.json";

const termsSchema = z.array(z.string().trim().min(1)).min(1);

export const thesaurusSchema = z.object({
  description: z.string(),
  groups: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/),
        theme: z.enum(THEME_CODES).nullable(),
        en: termsSchema,
        es: termsSchema,
        pt: termsSchema,
        fr: termsSchema,
      }),
    )
    .min(1),
});

export type Thesaurus = z.infer<typeof thesaurusSchema>;

export function loadThesaurus(): Thesaurus {
  return thesaurusSchema.parse(thesaurusData);
}

// Meilisearch matches synonyms on normalized words; lower-casing here also merges duplicates
// that differ only in case across languages ("innovation" in English and French).
function normalizeTerm(term: string): string {
  return term.trim().toLocaleLowerCase("und").replace(/\s+/g, " ");
}

export function buildSynonyms(thesaurus: Thesaurus = loadThesaurus()): Record<string, string[]> {
  const related = new Map<string, Set<string>>();
  for (const group of thesaurus.groups) {
    const terms = [...new Set([...group.en, ...group.es, ...group.pt, ...group.fr].map(normalizeTerm))];
    for (const term of terms) {
      const others = related.get(term) ?? new Set<string>();
      for (const other of terms) if (other !== term) others.add(other);
      related.set(term, others);
    }
  }
  const synonyms: Record<string, string[]> = {};
  for (const [term, others] of [...related].sort(([a], [b]) => a.localeCompare(b))) {
    if (others.size > 0) synonyms[term] = [...others].sort();
  }
  return synonyms;
}

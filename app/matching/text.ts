// The matcher's reading of a text, the same for every language: concepts and word stems.
//
// Concepts are the groups of the multilingual thesaurus (search/thesaurus.json, the same one
// that gives Meilisearch its synonyms) and the theme labels in all four languages: "cash
// transfers", "transferencias monetarias" and "transferência de renda" are one concept. Stems are
// the first six letters of a word without accents or plural ending, which also joins many
// Spanish, Portuguese, French and English cognates ("formalización", "formalização",
// "formalization" -> "formal"). A text becomes a weighted vector of both, and two texts are
// compared by cosine similarity.
//
// Weights are fixed, not learnt from the corpus (no IDF): a pairing's score then depends only
// on the pair itself, so a job that proposes for one request and a full recomputation agree.
import { isVocabularyCode, LANGUAGE_CODES, THEME_CODES, THEME_LABELS, type ThemeCode } from "~/schemas/vocabulary";
import { loadThesaurus, thesaurusSchema } from "~search/synonyms";
import matchingConcepts from "./concepts.json";

export type TextFields = {
  title: string;
  summary: string;
  description?: string | null;
  targetPopulation?: string | null;
};

export type TextProfile = {
  /** term -> weight; terms are "c:<concept>", "t:<theme of a concept>" and "s:<stem>" */
  vector: Map<string, number>;
  norm: number;
  /** thesaurus groups and theme labels found in the text */
  concepts: Set<string>;
  /** themes the concepts point to, with a strength from 0 to 1 */
  impliedThemes: Map<ThemeCode, number>;
  /** words that are not stop words; 0 means the text says nothing usable */
  contentWords: number;
};

// How much an occurrence counts by where it is: a title names the subject.
const FIELD_WEIGHTS = { title: 3, summary: 1.5, description: 1, targetPopulation: 0.5 } as const;
// A concept found in the title or summary implies its theme more strongly than one in passing.
const IMPLIED_THEME_STRENGTH = { title: 0.5, summary: 0.5, description: 0.25, targetPopulation: 0.25 } as const;

const CONCEPT_WEIGHT = 3;
// Every themed concept also counts toward its theme, so "day care" and "early childhood
// education" (two concepts of one theme) bring two texts closer, less than one shared concept.
const THEME_TERM_WEIGHT = 1.5;
const THEME_TERM_SHARE = 0.5;
const UNTHEMED_CONCEPT_WEIGHT = 1;
const UBIQUITOUS_CONCEPT_WEIGHT = 0.4;
const STEM_WEIGHT = 1;
const GENERIC_STEM_WEIGHT = 0.3;

// Thesaurus groups nearly every text of this marketplace mentions: they say little about fit.
const UBIQUITOUS_CONCEPTS = new Set([
  "business",
  "technical-assistance",
  "south-south-cooperation",
  "public-policy",
  "workshop",
  "training",
  "small-business",
  "sme",
  "institutional-strengthening",
]);

// Function words of the four languages, folded (no accents).
const STOP_WORDS = new Set(
  `a an and are as at be been by for from has have in into is it its of on or our that the their them
  they this to was we were which who will with within without also more most other such than these those
  can could may should would about after before between through during over under up out not no all any
  each both how what when where why per via use used using new well
  el la los las un una unos unas y o u de del al en con por para que se su sus es son fue ser como mas
  muy sin sobre entre desde hasta hacia este esta estos estas ese esa esos esas lo le les ya e ni cual
  cuales cuando donde quien quienes tambien otro otra otros otras todo toda todos todas cada mediante
  segun tras durante ante bajo nos hay han ha sido tiene tienen puede pueden
  o os as um uma uns umas da das do dos na nas no nos em com por pelo pela pelos pelas para que se seu
  sua seus suas e ao aos ou mais como sem sobre entre ate este esta estes estas esse essa isso isto
  tambem outro outra outros outras todo toda todos todas cada foi ser sao tem pode podem
  le la les un une des du de et ou en dans par pour sur avec au aux ce cet cette ces qui que se sa son
  ses leur leurs est sont ete etre plus sans entre aussi autre autres tout toute tous toutes chaque`
    .split(/\s+/)
    .filter(Boolean)
);

// Words every offer and request uses ("program", "support", "development"): kept, but light.
const GENERIC_WORDS = new Set(
  `program programs programme programmes project projects development national support public government
  country countries institution institutions institutional model models experience experiences technical
  cooperation strengthen strengthening system systems service services year years network management
  local policy policies implementation implement design capacity capacities help assistance agency
  ministry approach work working based level levels process processes tool tools area areas
  programa programas proyecto proyectos desarrollo nacional apoyo apoyar publico publica publicos
  publicas gobierno pais paises institucion instituciones institucional modelo modelos experiencia
  experiencias tecnica tecnico tecnicas tecnicos cooperacion fortalecer fortalecimiento sistema sistemas
  servicio servicios ano anos red redes gestion politica politicas implementacion implementar diseno
  capacidad capacidades asistencia agencia ministerio enfoque trabajo nivel niveles proceso procesos
  herramienta herramientas area areas
  projeto projetos desenvolvimento apoio governo instituicao instituicoes experiencia cooperacao
  fortalecimento servico servicos rede gestao implementacao capacidade assistencia ministerio processo
  programme programmes projet projets developpement appui gouvernement pays institution cooperation
  renforcement systeme service services reseau gestion politique mise oeuvre capacite assistance ministere`
    .split(/\s+/)
    .filter(Boolean)
);

export function foldText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
}

/** Folded words, stop words included (phrases like "centro de desarrollo" need them). */
export function words(text: string): string[] {
  return foldText(text).match(/[a-z0-9]+/g) ?? [];
}

export function stem(word: string): string {
  let base = word;
  if (base.length > 5 && base.endsWith("es")) base = base.slice(0, -2);
  else if (base.length > 4 && base.endsWith("s")) base = base.slice(0, -1);
  return base.slice(0, 6);
}

export function isContentWord(word: string): boolean {
  return word.length >= 3 && !STOP_WORDS.has(word) && !/^\d+$/.test(word);
}

/**
 * The words of a text worth sending to a search engine, in order, without repeats: no stop
 * words, no words every record uses. Meilisearch reads at most ten words of a query.
 */
export function queryWords(text: string, limit: number): string[] {
  const result: string[] = [];
  const seen = new Set<string>();
  for (const word of text.split(/[^\p{L}\p{N}]+/u)) {
    const folded = foldText(word);
    if (!isContentWord(folded) || GENERIC_WORDS.has(folded) || seen.has(folded)) continue;
    seen.add(folded);
    result.push(word);
    if (result.length >= limit) break;
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Concepts

type Concept = { id: string; theme: ThemeCode | null; weight: number };

type ConceptIndex = {
  concepts: Map<string, Concept>;
  /** one folded word (and its plural forms) -> concept ids */
  single: Map<string, Set<string>>;
  /** stems of a phrase of two words or more, joined by spaces -> concept ids */
  phrases: Map<string, Set<string>>;
  /** every beginning of two words or more of those phrases, so matching stops early */
  phrasePrefixes: Set<string>;
  /** first stems of those phrases: most words start none, and need no key built */
  phraseStarts: Set<string>;
  longestPhrase: number;
};

let conceptIndex: ConceptIndex | undefined;

function addTo(map: Map<string, Set<string>>, key: string, id: string) {
  const ids = map.get(key) ?? new Set<string>();
  ids.add(id);
  map.set(key, ids);
}

function buildConceptIndex(): ConceptIndex {
  const index: ConceptIndex = {
    concepts: new Map(),
    single: new Map(),
    phrases: new Map(),
    phrasePrefixes: new Set(),
    phraseStarts: new Set(),
    longestPhrase: 1,
  };
  const addTerm = (id: string, term: string) => {
    const termWords = words(term);
    if (termWords.length === 0) return;
    if (termWords.length === 1) {
      const [word] = termWords;
      for (const form of new Set([word, `${word}s`, `${word}es`, word.endsWith("s") ? word.slice(0, -1) : word])) {
        addTo(index.single, form, id);
      }
      return;
    }
    const stems = termWords.map(stem);
    addTo(index.phrases, stems.join(" "), id);
    index.phraseStarts.add(stems[0]);
    for (let length = 2; length <= stems.length; length += 1) index.phrasePrefixes.add(stems.slice(0, length).join(" "));
    index.longestPhrase = Math.max(index.longestPhrase, termWords.length);
  };

  for (const group of [...loadThesaurus().groups, ...loadMatchingConcepts().groups]) {
    const weight = UBIQUITOUS_CONCEPTS.has(group.id) ? UBIQUITOUS_CONCEPT_WEIGHT : group.theme ? CONCEPT_WEIGHT : UNTHEMED_CONCEPT_WEIGHT;
    index.concepts.set(group.id, { id: group.id, theme: group.theme, weight });
    for (const term of [...group.en, ...group.es, ...group.pt, ...group.fr]) addTerm(group.id, term);
  }
  for (const theme of THEME_CODES) {
    const id = `theme:${theme}`;
    index.concepts.set(id, { id, theme, weight: UBIQUITOUS_CONCEPTS.has(theme) ? UBIQUITOUS_CONCEPT_WEIGHT : CONCEPT_WEIGHT });
    // Labels carry a parenthesis ("(SBDC model)") and long tails; the part before it is the name.
    for (const language of LANGUAGE_CODES) addTerm(id, THEME_LABELS[theme][language].split("(")[0]);
  }
  return index;
}

/** The matcher's own concepts (app/matching/concepts.json), in the thesaurus's format. */
export function loadMatchingConcepts() {
  return thesaurusSchema.parse(matchingConcepts);
}

function getConceptIndex(): ConceptIndex {
  conceptIndex ??= buildConceptIndex();
  return conceptIndex;
}

/** The theme a concept points to, if any. */
export function conceptTheme(id: string): ThemeCode | null {
  return getConceptIndex().concepts.get(id)?.theme ?? null;
}

/** A concept's name for explanations: the theme label, or the thesaurus group's first term. */
export function conceptLabel(id: string, locale: "en" | "es"): string {
  if (id.startsWith("theme:")) {
    const theme = id.slice("theme:".length);
    return isVocabularyCode("theme", theme) ? THEME_LABELS[theme][locale] : theme;
  }
  const group = thesaurusGroups().get(id);
  return group?.[locale][0] ?? id;
}

let groupsById: Map<string, { en: string[]; es: string[] }> | undefined;
function thesaurusGroups() {
  groupsById ??= new Map(loadThesaurus().groups.map((group) => [group.id, { en: group.en, es: group.es }]));
  return groupsById;
}

/** Whether a concept is one nearly every text mentions (not worth naming in a reason). */
export function isUbiquitousConcept(id: string): boolean {
  return (getConceptIndex().concepts.get(id)?.weight ?? 0) <= UBIQUITOUS_CONCEPT_WEIGHT;
}

function findConcepts(textWords: string[]): string[] {
  const index = getConceptIndex();
  const stems = textWords.map(cachedStem);
  const found: string[] = [];
  for (let start = 0; start < textWords.length; start += 1) {
    const single = index.single.get(textWords[start]);
    if (single) for (const id of single) found.push(id);
    if (!index.phraseStarts.has(stems[start])) continue;
    // Phrases grow one word at a time while some phrase still starts this way.
    let key = stems[start];
    for (let end = start + 1; end < textWords.length && end - start < index.longestPhrase; end += 1) {
      key = `${key} ${stems[end]}`;
      if (!index.phrasePrefixes.has(key)) break;
      const ids = index.phrases.get(key);
      if (ids) for (const id of ids) found.push(id);
    }
  }
  return found;
}

// The vocabulary of a catalogue is small next to its texts: each word is stemmed once.
const STEM_CACHE_LIMIT = 200_000;
const stemCache = new Map<string, string>();
function cachedStem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = stem(word);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

// ---------------------------------------------------------------------------------------
// Profiles

const stemTerms = new Map<string, string>();
function stemTerm(word: string): string {
  let term = stemTerms.get(word);
  if (term === undefined) {
    term = `s:${cachedStem(word)}`;
    if (stemTerms.size >= STEM_CACHE_LIMIT) stemTerms.clear();
    stemTerms.set(word, term);
  }
  return term;
}

export function buildTextProfile(fields: TextFields): TextProfile {
  const index = getConceptIndex();
  const counts = new Map<string, number>();
  const concepts = new Set<string>();
  const impliedThemes = new Map<ThemeCode, number>();
  let contentWords = 0;

  for (const field of ["title", "summary", "description", "targetPopulation"] as const) {
    const text = fields[field];
    if (!text) continue;
    const fieldWeight = FIELD_WEIGHTS[field];
    const textWords = words(text);
    for (const word of textWords) {
      if (!isContentWord(word)) continue;
      contentWords += 1;
      const term = stemTerm(word);
      counts.set(term, (counts.get(term) ?? 0) + fieldWeight);
    }
    for (const id of findConcepts(textWords)) {
      concepts.add(id);
      const term = `c:${id}`;
      counts.set(term, (counts.get(term) ?? 0) + fieldWeight);
      const concept = index.concepts.get(id);
      const theme = concept && concept.weight >= CONCEPT_WEIGHT ? concept.theme : null;
      if (!theme) continue;
      impliedThemes.set(theme, Math.min(1, (impliedThemes.get(theme) ?? 0) + IMPLIED_THEME_STRENGTH[field]));
      const themeTerm = `t:${theme}`;
      counts.set(themeTerm, (counts.get(themeTerm) ?? 0) + fieldWeight * THEME_TERM_SHARE);
    }
  }

  const vector = new Map<string, number>();
  let squares = 0;
  for (const [term, count] of counts) {
    const weight = termWeight(term) * Math.log1p(count);
    vector.set(term, weight);
    squares += weight * weight;
  }
  return { vector, norm: Math.sqrt(squares), concepts, impliedThemes, contentWords };
}

function termWeight(term: string): number {
  if (term.startsWith("t:")) return THEME_TERM_WEIGHT;
  if (term.startsWith("c:")) return getConceptIndex().concepts.get(term.slice(2))?.weight ?? UNTHEMED_CONCEPT_WEIGHT;
  const stemmed = term.slice(2);
  return GENERIC_STEMS.has(stemmed) ? GENERIC_STEM_WEIGHT : STEM_WEIGHT;
}

const GENERIC_STEMS = new Set([...GENERIC_WORDS].map(stem));

export function cosineSimilarity(a: TextProfile, b: TextProfile): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.vector.size <= b.vector.size ? [a.vector, b.vector] : [b.vector, a.vector];
  let dot = 0;
  for (const [term, weight] of small) {
    const other = large.get(term);
    if (other !== undefined) dot += weight * other;
  }
  return dot / (a.norm * b.norm);
}

/** The concepts two profiles share, strongest first (for explanations). */
export function sharedConcepts(a: TextProfile, b: TextProfile): string[] {
  return [...a.concepts]
    .filter((id) => b.concepts.has(id))
    .sort(
      (x, y) =>
        (b.vector.get(`c:${y}`) ?? 0) * (a.vector.get(`c:${y}`) ?? 0) - (b.vector.get(`c:${x}`) ?? 0) * (a.vector.get(`c:${x}`) ?? 0)
    );
}

/** Declared themes only, narrowed from the text column. */
export function themeCodes(values: readonly string[]): ThemeCode[] {
  return values.filter((value): value is ThemeCode => isVocabularyCode("theme", value));
}

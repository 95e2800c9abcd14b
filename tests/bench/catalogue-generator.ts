/**
 * The generated catalogue of the benchmarks (tests/bench/import.bench.ts, load.bench.ts): a
 * fixed-seed exchange file, the same on every run.
 */
import type { ExchangeFile, ExchangeOffer, ExchangeOrganization, ExchangeRequest } from "~/schemas/exchange";
import {
  COST_SHARING_CODES,
  LANGUAGE_CODES,
  MODALITY_CODES,
  ORGANIZATION_TYPE_CODES,
  THEME_CODES,
} from "~/schemas/vocabulary";

const COUNTRIES = ["AR", "BO", "BR", "CL", "CO", "CR", "DO", "EC", "GT", "HN", "JM", "MX", "PA", "PE", "PY", "SV", "TT", "US", "UY", "CA"];

// A fixed-seed generator: every run imports the same file.
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)];
    },
    some<T>(items: readonly T[], min: number, max: number): T[] {
      const count = min + Math.floor(next() * (max - min + 1));
      const chosen = new Set<T>();
      while (chosen.size < count) chosen.add(items[Math.floor(next() * items.length)]);
      return [...chosen];
    },
    integer(min: number, max: number): number {
      return min + Math.floor(next() * (max - min + 1));
    },
  };
}

const PARAGRAPH =
  "The program combines diagnosis, coaching and access to finance for micro and small enterprises, " +
  "delivered through a network of centers run with universities and local governments. ";

export function generateCatalogue({
  organizations: ORGANIZATIONS,
  offers: OFFERS,
  requests: REQUESTS,
}: {
  organizations: number;
  offers: number;
  requests: number;
}): ExchangeFile {
  const random = createRandom(2026);
  const organizations: ExchangeOrganization[] = Array.from({ length: ORGANIZATIONS }, (_, index) => ({
    key: `bench-org-${String(index).padStart(4, "0")}`,
    name: `Bench Agency ${index}`,
    country: random.pick(COUNTRIES),
    type: random.pick(ORGANIZATION_TYPE_CODES),
    ...(index % 3 === 0 ? {} : { website: `https://agency-${index}.example.org` }),
  }));
  const offers: ExchangeOffer[] = Array.from({ length: OFFERS }, (_, index) => ({
    key: `bench-offer-${String(index).padStart(5, "0")}`,
    organization: organizations[index % ORGANIZATIONS].key,
    title: `Program ${index} for small business development`,
    summary: PARAGRAPH,
    description: PARAGRAPH.repeat(4),
    language: random.pick(LANGUAGE_CODES),
    themes: random.some(THEME_CODES, 1, 3),
    modalities: random.some(MODALITY_CODES, 1, 4),
    workingLanguages: random.some(LANGUAGE_CODES, 1, 2),
    ...(index % 2 === 0 ? { targetPopulation: "Micro and small enterprises", evidence: "Evaluated in 2024: 12 % more sales." } : {}),
    capacityPerYear: random.integer(1, 5),
    costSharing: random.pick(COST_SHARING_CODES),
    status: index % 10 === 0 ? "draft" : "published",
  }));
  const requests: ExchangeRequest[] = Array.from({ length: REQUESTS }, (_, index) => ({
    key: `bench-request-${String(index).padStart(5, "0")}`,
    organization: organizations[(index * 7) % ORGANIZATIONS].key,
    title: `Technical assistance need ${index}`,
    summary: PARAGRAPH,
    description: PARAGRAPH.repeat(2),
    language: random.pick(LANGUAGE_CODES),
    themes: random.some(THEME_CODES, 1, 3),
    modalities: index % 4 === 0 ? [] : random.some(MODALITY_CODES, 1, 3),
    workingLanguages: random.some(LANGUAGE_CODES, 1, 2),
    ...(index % 2 === 0 ? { desiredStart: "2027-03-01", desiredEnd: "2027-12-31" } : {}),
    status: index % 10 === 0 ? "closed" : "open",
  }));
  return { format: "cooperation-exchange/1", organizations, offers, requests };
}

// Countries as the catalogue shows them. Country pages themselves are in catalogue.server.ts.
import { getPrisma } from "~/utils/db.server";
import { collator } from "~/utils/intl";
import { CATALOGUE_FIGURES_TTL_MS, cachedFor } from "~/utils/short-cache.server";

export const countryNamesSelect = { nameEn: true, nameEs: true, namePt: true, nameFr: true } as const;

type CountryNames = { nameEn: string; nameEs: string; namePt: string; nameFr: string };

export function countryName(country: CountryNames, locale: string): string {
  switch (locale) {
    case "es":
      return country.nameEs;
    case "pt":
      return country.namePt;
    case "fr":
      return country.nameFr;
    default:
      return country.nameEn;
  }
}

/** The country's code as stored (upper case), or null when no such country exists. */
export async function findCountryCode({ code }: { code: string }): Promise<string | null> {
  const normalized = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(normalized)) return null;
  const country = await getPrisma().country.findUnique({ where: { code: normalized }, select: { code: true } });
  return country?.code ?? null;
}

/** Countries whose organizations have at least one published offer: the country filter's options. */
export async function listOfferCountries({ locale }: { locale: string }) {
  // Every browse and search page shows these options: computed once per few seconds.
  const countries = await cachedFor("offer-countries", CATALOGUE_FIGURES_TTL_MS, () =>
    getPrisma().country.findMany({
      where: { organizations: { some: { offers: { some: { status: "published" } } } } },
      select: { code: true, ...countryNamesSelect },
    }),
  );
  return sortedOptions(countries, locale);
}

/** Countries whose organizations have at least one open request. */
export async function listRequestCountries({ locale }: { locale: string }) {
  const countries = await cachedFor("request-countries", CATALOGUE_FIGURES_TTL_MS, () =>
    getPrisma().country.findMany({
      where: { organizations: { some: { requests: { some: { status: "open" } } } } },
      select: { code: true, ...countryNamesSelect },
    }),
  );
  return sortedOptions(countries, locale);
}

function sortedOptions(countries: Array<{ code: string } & CountryNames>, locale: string) {
  const byLabel = collator(locale);
  return countries
    .map((country) => ({ value: country.code, label: countryName(country, locale) }))
    .sort((a, b) => byLabel.compare(a.label, b.label));
}

import { isVocabularyCode, vocabularyLabel } from "~/schemas/vocabulary";
import { getPrisma } from "~/utils/db.server";

/** The headline figures on the home page: what is on offer, what is asked, and from how many countries. */
export async function getCatalogueStats() {
  const prisma = getPrisma();
  const [offers, requests, countries] = await Promise.all([
    prisma.offer.count({ where: { status: "published" } }),
    prisma.request.count({ where: { status: "open" } }),
    prisma.organization.findMany({
      where: { OR: [{ offers: { some: { status: "published" } } }, { requests: { some: { status: "open" } } }] },
      distinct: ["countryCode"],
      select: { countryCode: true },
    }),
  ]);
  return { offers, requests, countries: countries.length };
}

/** Published offers per theme, most offered first; themes nobody offers are left out. */
export async function countPublishedOffersByTheme({ locale }: { locale: string }): Promise<Array<{ theme: string; label: string; offers: number }>> {
  const rows = await getPrisma().$queryRaw<Array<{ theme: string; offers: bigint }>>`
    SELECT theme, count(*) AS offers
      FROM offer, unnest(themes) AS theme
     WHERE status = 'published'
     GROUP BY theme`;
  return rows
    .flatMap(({ theme, offers }) =>
      isVocabularyCode("theme", theme) ? [{ theme, label: vocabularyLabel("theme", theme, locale), offers: Number(offers) }] : [],
    )
    .sort((a, b) => b.offers - a.offers || a.label.localeCompare(b.label, locale));
}

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

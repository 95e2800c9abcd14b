// Pairings for the brokering tests: two agencies of different countries with an open request
// and a published offer, a proposal between them as the matcher would write it, staff, and a
// third agency that has nothing to do with it. Written straight to the test database.
import { getPrisma } from "~/utils/db.server";
import { insertOffer, insertRequest } from "./catalogue";
import { createLoggedInUser, createOrganization } from "./users";

export async function insertProposal({
  requestId,
  offerId,
  score = 80,
  rank = 1,
  status = "proposed",
}: {
  requestId: string;
  offerId: string;
  score?: number;
  rank?: number;
  status?: "proposed" | "rejected";
}) {
  return getPrisma().proposal.create({
    data: {
      requestId,
      offerId,
      score,
      rank,
      status,
      rejectionReason: status === "rejected" ? "not-relevant" : null,
      sharedLanguage: true,
      recommended: rank === 1,
      factors: { factors: { themeFit: { value: 0.8, weight: 28, points: 22.4 }, language: { value: 1, weight: 8, points: 8 } }, feedback: { points: 0, signals: [] } },
      reasons: { en: ["Same themes: business development centers", "Both work in Spanish"], es: ["Mismos temas: centros de desarrollo empresarial", "Ambos trabajan en español"] },
    },
    select: { id: true, version: true, requestId: true, offerId: true },
  });
}

export type PairingWorld = Awaited<ReturnType<typeof createPairingWorld>>;

export async function createPairingWorld({ alternates = 0 }: { alternates?: number } = {}) {
  const requesterOrganization = await createOrganization({ countryCode: "HN" });
  const providerOrganization = await createOrganization({ countryCode: "SV" });
  const thirdOrganization = await createOrganization({ countryCode: "CL" });
  const requester = await createLoggedInUser({ organizationId: requesterOrganization.id });
  const provider = await createLoggedInUser({ organizationId: providerOrganization.id });
  const third = await createLoggedInUser({ organizationId: thirdOrganization.id });
  const staff = await createLoggedInUser({ role: "staff" });
  const otherStaff = await createLoggedInUser({ role: "staff" });
  const request = await insertRequest({ organizationId: requesterOrganization.id, themes: ["business-development-centers"] });
  const offer = await insertOffer({ organizationId: providerOrganization.id, themes: ["business-development-centers"] });
  const proposal = await insertProposal({ requestId: request.id, offerId: offer.id, score: 87.5 });
  const alternateProposals = [];
  for (let index = 0; index < alternates; index += 1) {
    const alternateOffer = await insertOffer({ organizationId: thirdOrganization.id, themes: ["business-development-centers"] });
    alternateProposals.push(await insertProposal({ requestId: request.id, offerId: alternateOffer.id, score: 70 - index, rank: index + 2 }));
  }
  return {
    requesterOrganization,
    providerOrganization,
    thirdOrganization,
    requester,
    provider,
    third,
    staff,
    otherStaff,
    request,
    offer,
    proposal,
    alternateProposals,
  };
}

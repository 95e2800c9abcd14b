// The JSON that `npm run match -- --json` prints (issue 6, "Command-line output"): for every open
// request, its proposals best first, with exchange-format keys.
import type { Reasons } from "./scoring";

export type MatchingOutput = {
  requests: Array<{
    request: string;
    proposals: Array<{ offer: string; score: number; recommended: boolean; reasons: string[] }>;
  }>;
};

type StoredRequestProposals = {
  request: string;
  proposals: ReadonlyArray<{ offer: string; score: number; recommended: boolean; reasons: Reasons }>;
};

export function matchingOutput(requests: readonly StoredRequestProposals[], locale: "en" | "es"): MatchingOutput {
  return {
    requests: requests.map((request) => ({
      request: request.request,
      proposals: request.proposals.map((proposal) => ({
        offer: proposal.offer,
        score: proposal.score,
        recommended: proposal.recommended,
        reasons: proposal.reasons[locale],
      })),
    })),
  };
}

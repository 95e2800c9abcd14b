-- CreateEnum
CREATE TYPE "ProposalStatus" AS ENUM ('proposed', 'confirmed', 'rejected');

-- CreateEnum
CREATE TYPE "ProposalSource" AS ENUM ('matcher', 'manual');

-- CreateEnum
CREATE TYPE "MatchingOutcome" AS ENUM ('proposed', 'no_candidates');

-- CreateTable
CREATE TABLE "proposal" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "request_id" UUID NOT NULL,
    "offer_id" UUID NOT NULL,
    "status" "ProposalStatus" NOT NULL DEFAULT 'proposed',
    "source" "ProposalSource" NOT NULL DEFAULT 'matcher',
    "score" DOUBLE PRECISION NOT NULL,
    "shared_language" BOOLEAN NOT NULL,
    "factors" JSONB NOT NULL,
    "reasons" JSONB NOT NULL,
    "rank" INTEGER,
    "recommended" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "rejection_reason" TEXT,
    "decision_note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "proposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_matching" (
    "request_id" UUID NOT NULL,
    "outcome" "MatchingOutcome" NOT NULL,
    "candidate_count" INTEGER NOT NULL,
    "used_search" BOOLEAN NOT NULL,
    "matched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_matching_pkey" PRIMARY KEY ("request_id")
);

-- CreateIndex
CREATE INDEX "proposal_offer_id_status_idx" ON "proposal"("offer_id", "status");

-- CreateIndex
CREATE INDEX "proposal_status_score_idx" ON "proposal"("status", "score");

-- CreateIndex
CREATE UNIQUE INDEX "proposal_request_id_offer_id_key" ON "proposal"("request_id", "offer_id");

-- AddForeignKey
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_matching" ADD CONSTRAINT "request_matching_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------
-- Hand-written below this line: CHECK constraints that schema.prisma cannot express.
-- The rejection reason codes must equal REJECTION_REASON_CODES in app/matching/decisions.ts
-- (tests/integration/matching-model.test.ts compares them).
-- ---------------------------------------------------------------------------------------

ALTER TABLE "proposal" ADD CONSTRAINT "proposal_score_check" CHECK ("score" >= 0 AND "score" <= 100);

ALTER TABLE "proposal" ADD CONSTRAINT "proposal_rank_check" CHECK ("rank" >= 1);

ALTER TABLE "proposal" ADD CONSTRAINT "proposal_version_check" CHECK ("version" >= 1);

ALTER TABLE "proposal" ADD CONSTRAINT "proposal_rejection_reason_check" CHECK ("rejection_reason" IN (
    'not-relevant',
    'language',
    'capacity',
    'timing',
    'already-cooperating',
    'other'
));

-- a rejection always says why
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_rejected_reason_check" CHECK ("status" <> 'rejected' OR "rejection_reason" IS NOT NULL);

ALTER TABLE "request_matching" ADD CONSTRAINT "request_matching_candidate_count_check" CHECK ("candidate_count" >= 0);

-- Brokering (issue 7): the agencies' consent to a confirmed pairing, the cooperation it starts,
-- its activities, documents, messages, outcome reports and follow-ups, and the audit log.

-- AlterEnum: both agencies accepted (a cooperation exists) / one agency declined.
-- Added in this transaction, so nothing below may use the new values (PostgreSQL forbids it).
ALTER TYPE "ProposalStatus" ADD VALUE 'accepted';
ALTER TYPE "ProposalStatus" ADD VALUE 'declined';

-- CreateEnum
CREATE TYPE "PairingSide" AS ENUM ('requester', 'provider');

-- CreateEnum
CREATE TYPE "ConsentStatus" AS ENUM ('pending', 'accepted', 'declined');

-- CreateEnum
CREATE TYPE "CooperationStatus" AS ENUM ('planned', 'in_progress', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "AdoptionLevel" AS ENUM ('adopted', 'adapted', 'not_adopted');

-- AlterTable: the note staff send to the agencies (decision_note stays internal to staff)
ALTER TABLE "proposal" ADD COLUMN "agency_note" TEXT;

-- CreateTable
CREATE TABLE "pairing_consent" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "proposal_id" UUID NOT NULL,
    "side" "PairingSide" NOT NULL,
    "status" "ConsentStatus" NOT NULL DEFAULT 'pending',
    "decline_reason" TEXT,
    "decline_note" TEXT,
    "responded_by_id" UUID,
    "responded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pairing_consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cooperation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "proposal_id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "offer_id" UUID NOT NULL,
    "status" "CooperationStatus" NOT NULL DEFAULT 'planned',
    "cancel_reason" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cooperation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cooperation_activity" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "cooperation_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "modality" TEXT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "place" TEXT,
    "link" TEXT,
    "participants" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cooperation_activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cooperation_document" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "cooperation_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cooperation_document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cooperation_message" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "cooperation_id" UUID NOT NULL,
    "author_id" UUID,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cooperation_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outcome_report" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "cooperation_id" UUID NOT NULL,
    "side" "PairingSide" NOT NULL,
    "transferred" TEXT NOT NULL,
    "people_trained" INTEGER NOT NULL,
    "trainers_certified" INTEGER NOT NULL,
    "rating" INTEGER NOT NULL,
    "adoption" "AdoptionLevel" NOT NULL,
    "filed_by_id" UUID,
    "filed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outcome_report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow_up" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "cooperation_id" UUID NOT NULL,
    "months" INTEGER NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "reminded_at" TIMESTAMPTZ(3),
    "answered_at" TIMESTAMPTZ(3),
    "still_in_use" BOOLEAN,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "follow_up_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "entity_type" TEXT NOT NULL,
    "entity_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT,
    "actor_id" UUID,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seq" BIGSERIAL NOT NULL,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "pairing_consent_proposal_id_side_key" ON "pairing_consent"("proposal_id", "side");

-- CreateIndex
CREATE UNIQUE INDEX "cooperation_proposal_id_key" ON "cooperation"("proposal_id");

-- CreateIndex
CREATE INDEX "cooperation_request_id_idx" ON "cooperation"("request_id");

-- CreateIndex
CREATE INDEX "cooperation_offer_id_idx" ON "cooperation"("offer_id");

-- CreateIndex
CREATE INDEX "cooperation_activity_cooperation_id_idx" ON "cooperation_activity"("cooperation_id");

-- CreateIndex
CREATE INDEX "cooperation_document_cooperation_id_idx" ON "cooperation_document"("cooperation_id");

-- CreateIndex
CREATE INDEX "cooperation_message_cooperation_id_created_at_idx" ON "cooperation_message"("cooperation_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "outcome_report_cooperation_id_side_key" ON "outcome_report"("cooperation_id", "side");

-- CreateIndex
CREATE UNIQUE INDEX "follow_up_cooperation_id_months_key" ON "follow_up"("cooperation_id", "months");

-- CreateIndex
CREATE INDEX "audit_event_entity_type_entity_id_seq_idx" ON "audit_event"("entity_type", "entity_id", "seq");

-- AddForeignKey
ALTER TABLE "pairing_consent" ADD CONSTRAINT "pairing_consent_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pairing_consent" ADD CONSTRAINT "pairing_consent_responded_by_id_fkey" FOREIGN KEY ("responded_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cooperation" ADD CONSTRAINT "cooperation_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cooperation" ADD CONSTRAINT "cooperation_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cooperation" ADD CONSTRAINT "cooperation_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cooperation_activity" ADD CONSTRAINT "cooperation_activity_cooperation_id_fkey" FOREIGN KEY ("cooperation_id") REFERENCES "cooperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cooperation_document" ADD CONSTRAINT "cooperation_document_cooperation_id_fkey" FOREIGN KEY ("cooperation_id") REFERENCES "cooperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cooperation_message" ADD CONSTRAINT "cooperation_message_cooperation_id_fkey" FOREIGN KEY ("cooperation_id") REFERENCES "cooperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cooperation_message" ADD CONSTRAINT "cooperation_message_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_report" ADD CONSTRAINT "outcome_report_cooperation_id_fkey" FOREIGN KEY ("cooperation_id") REFERENCES "cooperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_report" ADD CONSTRAINT "outcome_report_filed_by_id_fkey" FOREIGN KEY ("filed_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_cooperation_id_fkey" FOREIGN KEY ("cooperation_id") REFERENCES "cooperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey: RESTRICT, because SET NULL would be an UPDATE of an append-only row
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------
-- Hand-written below this line: CHECK constraints and the append-only trigger.
-- Codes must equal those of app/schemas/brokering.ts and app/schemas/vocabulary.ts
-- (tests/integration/schema-drift.test.ts and brokering.test.ts compare them).
-- ---------------------------------------------------------------------------------------

ALTER TABLE "pairing_consent" ADD CONSTRAINT "pairing_consent_decline_reason_check" CHECK ("decline_reason" IN (
    'not-relevant',
    'timing',
    'capacity',
    'language',
    'other'
));

-- a decline always says why; an answer always says who and when
ALTER TABLE "pairing_consent" ADD CONSTRAINT "pairing_consent_declined_reason_check" CHECK ("status" <> 'declined' OR "decline_reason" IS NOT NULL);
ALTER TABLE "pairing_consent" ADD CONSTRAINT "pairing_consent_responded_check" CHECK ("status" = 'pending' OR "responded_at" IS NOT NULL);

ALTER TABLE "cooperation" ADD CONSTRAINT "cooperation_version_check" CHECK ("version" >= 1);
ALTER TABLE "cooperation" ADD CONSTRAINT "cooperation_cancel_reason_check" CHECK ("status" <> 'cancelled' OR ("cancel_reason" IS NOT NULL AND length(btrim("cancel_reason")) > 0));
ALTER TABLE "cooperation" ADD CONSTRAINT "cooperation_completed_at_check" CHECK ("status" <> 'completed' OR "completed_at" IS NOT NULL);

ALTER TABLE "cooperation_activity" ADD CONSTRAINT "cooperation_activity_modality_check" CHECK ("modality" IN (
    'expert-mission',
    'study-visit',
    'virtual-exchange',
    'workshop',
    'training-of-trainers',
    'internship',
    'documentation',
    'joint-assessment',
    'advisory'
));
ALTER TABLE "cooperation_activity" ADD CONSTRAINT "cooperation_activity_dates_check" CHECK ("ends_on" >= "starts_on");
ALTER TABLE "cooperation_activity" ADD CONSTRAINT "cooperation_activity_participants_check" CHECK ("participants" >= 1);
ALTER TABLE "cooperation_activity" ADD CONSTRAINT "cooperation_activity_where_check" CHECK ("place" IS NOT NULL OR "link" IS NOT NULL);

ALTER TABLE "outcome_report" ADD CONSTRAINT "outcome_report_rating_check" CHECK ("rating" BETWEEN 1 AND 5);
ALTER TABLE "outcome_report" ADD CONSTRAINT "outcome_report_people_trained_check" CHECK ("people_trained" >= 0);
ALTER TABLE "outcome_report" ADD CONSTRAINT "outcome_report_trainers_certified_check" CHECK ("trainers_certified" >= 0);

ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_months_check" CHECK ("months" IN (6, 12));
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_answered_check" CHECK ("answered_at" IS NULL OR "still_in_use" IS NOT NULL);

ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_entity_type_check" CHECK ("entity_type" IN ('proposal', 'cooperation'));

-- The audit log is append-only: the application has no update or delete path, and the
-- database refuses one too (whoever connects).
CREATE FUNCTION "audit_event_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_event_append_only" BEFORE UPDATE OR DELETE ON "audit_event"
    FOR EACH ROW EXECUTE FUNCTION "audit_event_refuse_change"();

CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_refuse_change"();

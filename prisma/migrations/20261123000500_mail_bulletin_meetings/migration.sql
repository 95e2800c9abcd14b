-- CreateEnum
CREATE TYPE "MailStatus" AS ENUM ('queued', 'sent', 'captured', 'failed');

-- CreateEnum
CREATE TYPE "BulletinStatus" AS ENUM ('draft', 'published');

-- CreateEnum
CREATE TYPE "BulletinSubscriptionStatus" AS ENUM ('pending', 'confirmed', 'unsubscribed');

-- CreateTable
CREATE TABLE "mail_message" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "dedupe_key" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "unsubscribe_url" TEXT,
    "status" "MailStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mail_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "link" TEXT,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulletin_issue" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "month" DATE NOT NULL,
    "status" "BulletinStatus" NOT NULL DEFAULT 'draft',
    "title_en" TEXT NOT NULL,
    "title_es" TEXT NOT NULL,
    "intro_en" TEXT NOT NULL,
    "intro_es" TEXT NOT NULL,
    "highlights" JSONB NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "published_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bulletin_issue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulletin_subscriber" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "status" "BulletinSubscriptionStatus" NOT NULL DEFAULT 'pending',
    "confirm_token" TEXT NOT NULL,
    "unsubscribe_token" TEXT NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "unsubscribed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bulletin_subscriber_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meeting" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "title" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_minutes" INTEGER NOT NULL DEFAULT 90,
    "themes" TEXT[],
    "agenda" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "conclusions" TEXT,
    "concluded_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meeting_registration" (
    "meeting_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "meeting_registration_pkey" PRIMARY KEY ("meeting_id","user_id")
);

-- CreateTable
CREATE TABLE "meeting_offer" (
    "meeting_id" UUID NOT NULL,
    "offer_id" UUID NOT NULL,

    CONSTRAINT "meeting_offer_pkey" PRIMARY KEY ("meeting_id","offer_id")
);

-- CreateTable
CREATE TABLE "meeting_request" (
    "meeting_id" UUID NOT NULL,
    "request_id" UUID NOT NULL,

    CONSTRAINT "meeting_request_pkey" PRIMARY KEY ("meeting_id","request_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "mail_message_dedupe_key_key" ON "mail_message"("dedupe_key");

-- CreateIndex
CREATE INDEX "mail_message_created_at_idx" ON "mail_message"("created_at");

-- CreateIndex
CREATE INDEX "mail_message_recipient_idx" ON "mail_message"("recipient");

-- CreateIndex
CREATE INDEX "notification_user_id_created_at_idx" ON "notification"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_user_id_read_at_idx" ON "notification"("user_id", "read_at");

-- CreateIndex
CREATE UNIQUE INDEX "bulletin_issue_month_key" ON "bulletin_issue"("month");

-- CreateIndex
CREATE INDEX "bulletin_issue_status_month_idx" ON "bulletin_issue"("status", "month");

-- CreateIndex
CREATE UNIQUE INDEX "bulletin_subscriber_email_key" ON "bulletin_subscriber"("email");

-- CreateIndex
CREATE UNIQUE INDEX "bulletin_subscriber_confirm_token_key" ON "bulletin_subscriber"("confirm_token");

-- CreateIndex
CREATE UNIQUE INDEX "bulletin_subscriber_unsubscribe_token_key" ON "bulletin_subscriber"("unsubscribe_token");

-- CreateIndex
CREATE INDEX "bulletin_subscriber_status_idx" ON "bulletin_subscriber"("status");

-- CreateIndex
CREATE INDEX "meeting_starts_at_idx" ON "meeting"("starts_at");

-- CreateIndex
CREATE INDEX "meeting_registration_user_id_idx" ON "meeting_registration"("user_id");

-- CreateIndex
CREATE INDEX "meeting_offer_offer_id_idx" ON "meeting_offer"("offer_id");

-- CreateIndex
CREATE INDEX "meeting_request_request_id_idx" ON "meeting_request"("request_id");

-- AddForeignKey
ALTER TABLE "notification" ADD CONSTRAINT "notification_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bulletin_issue" ADD CONSTRAINT "bulletin_issue_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bulletin_issue" ADD CONSTRAINT "bulletin_issue_published_by_id_fkey" FOREIGN KEY ("published_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_registration" ADD CONSTRAINT "meeting_registration_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_registration" ADD CONSTRAINT "meeting_registration_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_offer" ADD CONSTRAINT "meeting_offer_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_offer" ADD CONSTRAINT "meeting_offer_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_request" ADD CONSTRAINT "meeting_request_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_request" ADD CONSTRAINT "meeting_request_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------
-- Hand-written below this line: CHECK constraints that schema.prisma cannot express (see the
-- init migration for why they live here). Everything above is what `prisma migrate dev`
-- generates for the models this migration adds.
-- ---------------------------------------------------------------------------------------

-- mail_message: rendered in an exchange-format language; the dedupe key is never empty
ALTER TABLE "mail_message" ADD CONSTRAINT "mail_message_locale_check" CHECK ("locale" IN ('en', 'es', 'pt', 'fr'));

ALTER TABLE "mail_message" ADD CONSTRAINT "mail_message_dedupe_key_check" CHECK (length("dedupe_key") > 0);

ALTER TABLE "mail_message" ADD CONSTRAINT "mail_message_attempts_check" CHECK ("attempts" >= 0);

-- notification: links stay on the site
ALTER TABLE "notification" ADD CONSTRAINT "notification_link_check" CHECK ("link" ~ '^/([^/\\]|$)');

-- bulletin_issue: one per calendar month, named by its first day
ALTER TABLE "bulletin_issue" ADD CONSTRAINT "bulletin_issue_month_check" CHECK (EXTRACT(DAY FROM "month") = 1);

ALTER TABLE "bulletin_issue" ADD CONSTRAINT "bulletin_issue_published_check" CHECK (("status" = 'published') = ("published_at" IS NOT NULL));

-- bulletin_subscriber: the bulletin is written in English and Spanish
ALTER TABLE "bulletin_subscriber" ADD CONSTRAINT "bulletin_subscriber_locale_check" CHECK ("locale" IN ('en', 'es'));

-- meeting: themes from the exchange-format vocabulary (app/schemas/vocabulary.ts)
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_themes_check" CHECK (
    "themes" IS NOT NULL
    AND cardinality("themes") > 0
    AND "themes" <@ ARRAY[
        'msme-finance',
        'entrepreneurship',
        'business-development-centers',
        'women-economic-empowerment',
        'youth-employment',
        'skills-training',
        'employment-services',
        'occupational-safety-health',
        'social-protection',
        'cash-transfers',
        'early-childhood',
        'family-support-graduation',
        'formalization',
        'supplier-development',
        'internationalization',
        'innovation-technology',
        'digital-transformation',
        'green-economy',
        'productivity-workplace',
        'social-economy',
        'labor-migration',
        'disability-inclusion',
        'ethnic-inclusion',
        'public-procurement',
        'regulatory-simplification',
        'social-information-systems',
        'institutional-strengthening'
    ]::text[]
);

ALTER TABLE "meeting" ADD CONSTRAINT "meeting_duration_minutes_check" CHECK ("duration_minutes" BETWEEN 15 AND 480);

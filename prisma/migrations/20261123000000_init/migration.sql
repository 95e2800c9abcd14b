-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('member', 'staff', 'admin');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('pending', 'active', 'refused');

-- CreateEnum
CREATE TYPE "VerificationStatus" AS ENUM ('pending', 'verified', 'refused');

-- CreateTable
CREATE TABLE "country" (
    "code" CHAR(2) NOT NULL,
    "name_en" TEXT NOT NULL,
    "name_es" TEXT NOT NULL,
    "name_pt" TEXT NOT NULL,
    "name_fr" TEXT NOT NULL,
    "subregion" TEXT,
    "oas_member" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "country_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "organization" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country_code" CHAR(2) NOT NULL,
    "type" TEXT NOT NULL,
    "website" TEXT,
    "verification_status" "VerificationStatus" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by_id" UUID,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "UserRole" NOT NULL DEFAULT 'member',
    "status" "AccountStatus" NOT NULL DEFAULT 'pending',
    "refusal_reason" TEXT,
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by_id" UUID,
    "organization_id" UUID,
    "preferred_language" TEXT NOT NULL DEFAULT 'en',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offer" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "description" TEXT,
    "language" TEXT NOT NULL,
    "themes" TEXT[],
    "modalities" TEXT[],
    "working_languages" TEXT[],
    "target_population" TEXT,
    "evidence" TEXT,
    "capacity_per_year" INTEGER NOT NULL DEFAULT 2,
    "cost_sharing" TEXT NOT NULL DEFAULT 'to-be-negotiated',
    "status" TEXT NOT NULL DEFAULT 'draft',
    "published_at" TIMESTAMPTZ(3),
    "confirmed_current_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,
    "updated_by_id" UUID,

    CONSTRAINT "offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "description" TEXT,
    "language" TEXT NOT NULL,
    "themes" TEXT[],
    "modalities" TEXT[],
    "working_languages" TEXT[],
    "desired_start" DATE,
    "desired_end" DATE,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "published_at" TIMESTAMPTZ(3),
    "confirmed_current_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,
    "updated_by_id" UUID,

    CONSTRAINT "request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "country_oas_member_idx" ON "country"("oas_member");

-- CreateIndex
CREATE UNIQUE INDEX "organization_key_key" ON "organization"("key");

-- CreateIndex
CREATE INDEX "organization_country_code_idx" ON "organization"("country_code");

-- CreateIndex
CREATE INDEX "organization_verification_status_idx" ON "organization"("verification_status");

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- CreateIndex
CREATE INDEX "user_organization_id_idx" ON "user"("organization_id");

-- CreateIndex
CREATE INDEX "user_status_idx" ON "user"("status");

-- CreateIndex
CREATE INDEX "session_user_id_idx" ON "session"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "offer_key_key" ON "offer"("key");

-- CreateIndex
CREATE INDEX "offer_organization_id_idx" ON "offer"("organization_id");

-- CreateIndex
CREATE INDEX "offer_status_updated_at_idx" ON "offer"("status", "updated_at");

-- CreateIndex
CREATE INDEX "offer_themes_idx" ON "offer" USING GIN ("themes");

-- CreateIndex
CREATE UNIQUE INDEX "request_key_key" ON "request"("key");

-- CreateIndex
CREATE INDEX "request_organization_id_idx" ON "request"("organization_id");

-- CreateIndex
CREATE INDEX "request_status_updated_at_idx" ON "request"("status", "updated_at");

-- CreateIndex
CREATE INDEX "request_themes_idx" ON "request" USING GIN ("themes");

-- AddForeignKey
ALTER TABLE "organization" ADD CONSTRAINT "organization_country_code_fkey" FOREIGN KEY ("country_code") REFERENCES "country"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "organization" ADD CONSTRAINT "organization_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user" ADD CONSTRAINT "user_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user" ADD CONSTRAINT "user_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer" ADD CONSTRAINT "offer_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer" ADD CONSTRAINT "offer_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer" ADD CONSTRAINT "offer_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request" ADD CONSTRAINT "request_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request" ADD CONSTRAINT "request_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request" ADD CONSTRAINT "request_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------
-- Hand-written below this line: CHECK constraints that schema.prisma cannot express.
-- Everything above is exactly what `prisma migrate dev` generates for schema.prisma.
--
-- Exchange-format vocabularies are stored as text (text[] for lists) and checked here, so
-- the codes stay spelled as the exchange format spells them (shared/docs/exchange-format.md,
-- docs/decisions/002-vocabularies-as-checked-text.md). The code lists must equal the tuples
-- exported by app/schemas/vocabulary.ts: tests/integration/schema-drift.test.ts compares them.
-- Changing a vocabulary means a new migration that drops and re-adds the constraint.
--
-- Prisma creates list columns without NOT NULL, so the list checks also refuse NULL.
-- Prisma ignores CHECK constraints when it diffs, so `prisma migrate dev` / `migrate diff`
-- on a connected machine neither reports nor removes them.
-- ---------------------------------------------------------------------------------------

-- organization
ALTER TABLE "organization" ADD CONSTRAINT "organization_key_check" CHECK ("key" ~ '^[a-z0-9][a-z0-9-]{1,79}$');

ALTER TABLE "organization" ADD CONSTRAINT "organization_type_check" CHECK ("type" IN (
    'ministry',
    'agency',
    'development-bank',
    'business-development-center',
    'training-institute',
    'international-organization',
    'ngo',
    'other'
));

-- user
ALTER TABLE "user" ADD CONSTRAINT "user_preferred_language_check" CHECK ("preferred_language" IN ('en', 'es', 'pt', 'fr'));

-- offer
ALTER TABLE "offer" ADD CONSTRAINT "offer_key_check" CHECK ("key" ~ '^[a-z0-9][a-z0-9-]{1,79}$');

ALTER TABLE "offer" ADD CONSTRAINT "offer_language_check" CHECK ("language" IN ('en', 'es', 'pt', 'fr'));

ALTER TABLE "offer" ADD CONSTRAINT "offer_themes_check" CHECK (
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

ALTER TABLE "offer" ADD CONSTRAINT "offer_modalities_check" CHECK (
    "modalities" IS NOT NULL
    AND cardinality("modalities") > 0
    AND "modalities" <@ ARRAY[
        'expert-mission',
        'study-visit',
        'virtual-exchange',
        'workshop',
        'training-of-trainers',
        'internship',
        'documentation',
        'joint-assessment',
        'advisory'
    ]::text[]
);

ALTER TABLE "offer" ADD CONSTRAINT "offer_working_languages_check" CHECK (
    "working_languages" IS NOT NULL
    AND cardinality("working_languages") > 0
    AND "working_languages" <@ ARRAY['en', 'es', 'pt', 'fr']::text[]
);

ALTER TABLE "offer" ADD CONSTRAINT "offer_capacity_per_year_check" CHECK ("capacity_per_year" >= 1);

ALTER TABLE "offer" ADD CONSTRAINT "offer_cost_sharing_check" CHECK ("cost_sharing" IN (
    'offerer-funded',
    'shared',
    'requester-funded',
    'to-be-negotiated'
));

ALTER TABLE "offer" ADD CONSTRAINT "offer_status_check" CHECK ("status" IN ('draft', 'published', 'archived'));

-- request
ALTER TABLE "request" ADD CONSTRAINT "request_key_check" CHECK ("key" ~ '^[a-z0-9][a-z0-9-]{1,79}$');

ALTER TABLE "request" ADD CONSTRAINT "request_language_check" CHECK ("language" IN ('en', 'es', 'pt', 'fr'));

ALTER TABLE "request" ADD CONSTRAINT "request_themes_check" CHECK (
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

-- an empty list means "any modality"
ALTER TABLE "request" ADD CONSTRAINT "request_modalities_check" CHECK (
    "modalities" IS NOT NULL
    AND "modalities" <@ ARRAY[
        'expert-mission',
        'study-visit',
        'virtual-exchange',
        'workshop',
        'training-of-trainers',
        'internship',
        'documentation',
        'joint-assessment',
        'advisory'
    ]::text[]
);

ALTER TABLE "request" ADD CONSTRAINT "request_working_languages_check" CHECK (
    "working_languages" IS NOT NULL
    AND cardinality("working_languages") > 0
    AND "working_languages" <@ ARRAY['en', 'es', 'pt', 'fr']::text[]
);

ALTER TABLE "request" ADD CONSTRAINT "request_desired_end_check" CHECK ("desired_end" >= "desired_start");

ALTER TABLE "request" ADD CONSTRAINT "request_status_check" CHECK ("status" IN ('draft', 'open', 'closed'));

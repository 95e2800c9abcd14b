-- CreateEnum
CREATE TYPE "LoginThrottleScope" AS ENUM ('ip', 'account');

-- CreateTable
CREATE TABLE "login_throttle" (
    "scope" "LoginThrottleScope" NOT NULL,
    "key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "window_starts_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("scope","key")
);

-- CreateIndex
CREATE INDEX "login_throttle_window_starts_at_idx" ON "login_throttle"("window_starts_at");

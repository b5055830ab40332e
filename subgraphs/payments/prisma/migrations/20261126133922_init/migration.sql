-- CreateEnum
CREATE TYPE "payment_status" AS ENUM ('PENDING', 'APPROVED', 'DECLINED', 'FAILED');

-- CreateEnum
CREATE TYPE "payment_method" AS ENUM ('CARD');

-- CreateTable
CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" "payment_status" NOT NULL DEFAULT 'PENDING',
    "method" "payment_method" NOT NULL DEFAULT 'CARD',
    "card_last4" CHAR(4) NOT NULL,
    "card_brand" TEXT NOT NULL,
    "decline_reason" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "provider_reference" TEXT,
    "order_marked_paid_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "payments_order_id_idx" ON "payments"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "payments_user_id_idempotency_key_key" ON "payments"("user_id", "idempotency_key");

-- Hand-written (Prisma cannot model these), part of the initial migration before it was applied
-- anywhere. They hold even for writers that bypass the subgraph.

-- Amounts are minor units of an order total: never negative.
ALTER TABLE "payments" ADD CONSTRAINT "payments_amount_check" CHECK ("amount" >= 0);

-- Only the last four digits of a card are ever stored, never more.
ALTER TABLE "payments" ADD CONSTRAINT "payments_card_last4_check" CHECK ("card_last4" ~ '^[0-9]{4}$');

-- A declined or failed attempt always says why.
ALTER TABLE "payments" ADD CONSTRAINT "payments_decline_reason_check"
  CHECK ("status" NOT IN ('DECLINED', 'FAILED') OR "decline_reason" IS NOT NULL);

-- An order is paid at most once: at most one APPROVED payment per order.
CREATE UNIQUE INDEX payments_one_approved_per_order ON payments(order_id) WHERE status = 'APPROVED';

-- And at most one attempt in flight or approved per order: the PENDING row is written before the
-- provider is called, so a second attempt for the same order (another idempotency key, another
-- tab) fails here instead of charging the card while the first is in flight or already approved.
CREATE UNIQUE INDEX payments_one_open_per_order ON payments(order_id) WHERE status IN ('PENDING', 'APPROVED');

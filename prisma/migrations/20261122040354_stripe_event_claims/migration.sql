-- AlterTable
ALTER TABLE "StripeEvent" ADD COLUMN     "claimedAt" TIMESTAMPTZ(3);

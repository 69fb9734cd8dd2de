-- AlterTable
ALTER TABLE "AutomationRule" ADD COLUMN     "anyConditions" JSONB NOT NULL DEFAULT '[]';

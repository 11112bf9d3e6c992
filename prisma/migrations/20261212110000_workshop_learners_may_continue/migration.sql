-- AlterTable
ALTER TABLE "Workshop" ADD COLUMN "learnersMayContinue" BOOLEAN NOT NULL DEFAULT false;

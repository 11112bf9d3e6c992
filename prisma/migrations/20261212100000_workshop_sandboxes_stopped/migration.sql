-- AlterTable
ALTER TABLE "Workshop" ADD COLUMN "sandboxesStoppedAt" DATETIME;

-- Workshops that ended before this migration: their end is over, their sandboxes are not stopped
-- again now.
UPDATE "Workshop" SET "sandboxesStoppedAt" = COALESCE("endedAt", "endsAt")
WHERE "endedAt" IS NOT NULL OR "endsAt" <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now');

-- AlterTable
ALTER TABLE "User" ADD COLUMN "lastSeenAt" DATETIME;

-- The accounts' last use so far: the latest of their sessions (log-out deletes a session, so an
-- account logged out everywhere starts as never seen).
UPDATE "User" SET "lastSeenAt" = (SELECT MAX("lastSeenAt") FROM "Session" WHERE "Session"."userId" = "User"."id");

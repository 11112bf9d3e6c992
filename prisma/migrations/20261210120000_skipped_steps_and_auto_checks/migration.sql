-- AlterTable
ALTER TABLE "LabProgress" ADD COLUMN "jumpStep" TEXT;
ALTER TABLE "LabProgress" ADD COLUMN "jumpWorkshopId" TEXT;
ALTER TABLE "LabProgress" ADD COLUMN "jumpedAt" DATETIME;

-- AlterTable
ALTER TABLE "LabStepResult" ADD COLUMN "automatic" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "LabStepSkip" (
    "userId" TEXT NOT NULL,
    "labId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "workshopId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "labId", "stepId"),
    CONSTRAINT "LabStepSkip_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PendingStepJump" (
    "userId" TEXT NOT NULL,
    "labId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "workshopId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "labId"),
    CONSTRAINT "PendingStepJump_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PendingStepJump_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

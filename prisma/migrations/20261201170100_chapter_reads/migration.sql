-- CreateTable
CREATE TABLE "ChapterRead" (
    "userId" TEXT NOT NULL,
    "chapter" TEXT NOT NULL,
    "firstReadAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastReadAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "chapter"),
    CONSTRAINT "ChapterRead_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

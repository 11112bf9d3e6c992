import 'server-only';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { getConfig } from '@/lib/config';
import { PrismaClient } from '@/lib/generated/prisma/client';

export function createPrismaClient(databasePath: string): PrismaClient {
  const adapter = new PrismaBetterSqlite3({ url: `file:${databasePath}`, timeout: 5000 });
  return new PrismaClient({ adapter });
}

// One client per server process (and per hot reload in development).
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export function getDb(): PrismaClient {
  globalForPrisma.prisma ??= createPrismaClient(getConfig().databasePath);
  return globalForPrisma.prisma;
}

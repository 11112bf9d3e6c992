/**
 * The record of changes made to an account by someone other than its owner knowing its password:
 * password resets by an admin or an instructor, and through a mailed link, and an admin lifting a
 * log-in lock-out. One row per change in
 * AuditEvent, ids as text so it outlives the accounts; operators read it with SQL
 * (docs/operating.md, "Password resets").
 */
import 'server-only';
import type { PrismaClient } from '@/lib/generated/prisma/client';

export type AuditAction =
  'password-reset:admin' | 'password-reset:instructor' | 'password-reset:email-link' | 'login-unlock:admin';

type AuditWriter = Pick<PrismaClient, 'auditEvent'>;

export async function recordAudit(
  db: AuditWriter,
  event: { action: AuditAction; actorId: string | null; targetId: string; detail?: Record<string, string> },
): Promise<void> {
  await db.auditEvent.create({
    data: {
      action: event.action,
      actorId: event.actorId,
      targetId: event.targetId,
      detail: event.detail ? JSON.stringify(event.detail) : null,
    },
  });
}

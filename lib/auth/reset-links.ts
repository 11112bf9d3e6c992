/**
 * "Forgot password?" by mail, when the platform has a mail server (SMTP_HOST): a link with a random
 * token, of which only the SHA-256 is stored; it works once, for 30 minutes, and asking again
 * replaces it. Using it sets a new password under the sign-up rules, ends every session of the
 * account and is recorded (audit.ts). The routes (auth-routes.ts) decide what is said to whom.
 */
import 'server-only';
import { getDb } from '@/lib/db/client';
import { ApiError } from '@/lib/http/api-error';
import { setPassword } from './accounts';
import { recordAudit } from './audit';
import { hashSessionToken, isWellFormedToken, newSessionToken } from './tokens';

export const resetLinkLifetimeMs = 30 * 60 * 1000;
/** Used and expired links are kept this long, then deleted when another link is made. */
const keepSpentLinksMs = 24 * 60 * 60 * 1000;

export class ResetLinkError extends ApiError {
  override name = 'ResetLinkError';
  constructor() {
    super(
      400,
      'RESET_LINK_INVALID',
      'This link has expired or was already used. Ask for a new one from the log-in page.',
    );
  }
}

/** A new link's token for the account (to mail; never stored), replacing its unused ones. */
export async function createResetLink(userId: string, now = new Date()): Promise<string> {
  const token = newSessionToken();
  const db = getDb();
  await db.$transaction([
    db.passwordResetToken.deleteMany({
      where: {
        OR: [{ userId, usedAt: null }, { expiresAt: { lt: new Date(now.getTime() - keepSpentLinksMs) } }],
      },
    }),
    db.passwordResetToken.create({
      data: {
        id: hashSessionToken(token),
        userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + resetLinkLifetimeMs),
      },
    }),
  ]);
  return token;
}

/** Whether a link's token would still set a password (unused, not expired). */
export async function isResetLinkUsable(token: string | undefined, now = new Date()): Promise<boolean> {
  if (!isWellFormedToken(token)) return false;
  const link = await getDb().passwordResetToken.findUnique({ where: { id: hashSessionToken(token) } });
  return !!link && link.usedAt === null && link.expiresAt > now;
}

/**
 * Sets the password of the link's account (already checked against the sign-up rules by the
 * caller) and spends the link; two uses at once cannot both succeed. Throws ResetLinkError.
 */
export async function resetPasswordWithLink(
  token: string,
  password: string,
  now = new Date(),
): Promise<void> {
  if (!isWellFormedToken(token)) throw new ResetLinkError();
  const db = getDb();
  const id = hashSessionToken(token);
  const link = await db.passwordResetToken.findUnique({ where: { id }, select: { userId: true } });
  const spent = await db.passwordResetToken.updateMany({
    where: { id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (!link || spent.count !== 1) throw new ResetLinkError();
  await setPassword(link.userId, password);
  await recordAudit(db, { action: 'password-reset:email-link', actorId: link.userId, targetId: link.userId });
}

/** The mail that carries a link. */
export function resetLinkMail(email: string, publicUrl: string, token: string) {
  const minutes = resetLinkLifetimeMs / 60_000;
  return {
    to: email,
    subject: 'Reset your MLOps Academy password',
    text: [
      `Someone, probably you, asked to reset the password of the MLOps Academy account ${email}.`,
      '',
      `To choose a new password, open this link within ${minutes} minutes. It works once:`,
      '',
      `${publicUrl}/reset-password?token=${token}`,
      '',
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}

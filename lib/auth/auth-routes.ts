/**
 * Sign-up, log-in and "Forgot password?", as the API routes run them (app/api/auth/*): input
 * checks, rate limits, the guest hand-over, the session, and reset links by mail. The routes only
 * call these.
 */
import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { describeInvalid } from '@/lab-runner/api/zod-issues';
import { getConfig } from '@/lib/config';
import type { User } from '@/lib/generated/prisma/client';
import { ApiError } from '@/lib/http/api-error';
import { sendMail } from '@/lib/mail/mailer';
import { clientAddress } from '@/lib/http/client-address';
import { jsonError, readJson } from '@/lib/http/responses';
import {
  authenticate,
  createUser,
  emailSchema,
  findUserByEmail,
  nameSchema,
  newPasswordSchema,
  normaliseEmail,
} from './accounts';
import { mergeGuestInto } from './guest-merge';
import { guestOfThisBrowser, signIn } from './identity';
import {
  getLoginLimiter,
  getResetRequestLimiter,
  getSignupLimiter,
  type LimitDecision,
} from './login-limiter';
import { assertJoinable, joinWorkshop } from '@/lib/workshops/workshops';
import { publicUser } from './public-user';
import { signupRefusal } from './signup-policy';
import { createResetLink, resetLinkLifetimeMs, resetLinkMail, resetPasswordWithLink } from './reset-links';

// Strict: a body that tries to choose its own role (or anything else) is refused, not ignored.
const signupBody = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  password: newPasswordSchema,
  /** A workshop to join with the new account (required when SIGNUP_MODE is `workshop`). */
  joinCode: z.string().trim().min(1).max(32).optional(),
});

const loginBody = z.strictObject({
  email: z.string().trim().min(1, 'Enter your email address.').max(254, 'Wrong email or password.'),
  password: z.string().min(1, 'Enter your password.').max(1000, 'Wrong email or password.'),
});

const resetRequestBody = z.strictObject({
  email: z.string().trim().min(1, 'Enter your email address.').max(254, 'Enter a valid email address.'),
});

const resetBody = z.strictObject({
  token: z.string().min(1).max(200),
  password: newPasswordSchema,
});

/** What "Forgot password?" says on a platform without a mail server. */
export const noMailMessage =
  'This platform sends no mail, so a person resets passwords: ask the instructor of your workshop, ' +
  'or an administrator of this platform, for a temporary password to log in with.';

/** zod issue codes whose message is the field's own rule, written for the person filling the form. */
const fieldRuleCodes = new Set(['custom', 'too_small', 'too_big', 'invalid_format']);

/**
 * The body, parsed; else it throws a 400 whose message a form can show as is: a field's own rule ("Use at least
 * 10 characters for your password.") without the "Invalid request body" prefix.
 */
async function readForm<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJson(request, z.unknown()));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const isFieldRule = issue?.path.length === 1 && fieldRuleCodes.has(issue.code);
  throw new ApiError(
    400,
    'BAD_REQUEST',
    isFieldRule ? issue.message : describeInvalid('request body', parsed.error),
  );
}

function tooMany(decision: Extract<LimitDecision, { ok: false }>, code: string, what: string): Response {
  const minutes = Math.ceil(decision.retryAfterSeconds / 60);
  return jsonError(429, code, `${what} Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
    'retry-after': String(decision.retryAfterSeconds),
  });
}

export async function signUpRoute(request: Request): Promise<Response> {
  const address = clientAddress(request);
  const limit = getSignupLimiter().check(address);
  if (!limit.ok) return tooMany(limit, 'TOO_MANY_SIGNUPS', 'Too many accounts were made from this network.');
  const { joinCode, ...input } = await readForm(request, signupBody);
  const refusal = signupRefusal(getConfig().signupMode, joinCode !== undefined);
  if (refusal) return jsonError(refusal.status, refusal.code, refusal.message);
  // The workshop must take learners before an account is made for it.
  if (joinCode !== undefined) await assertJoinable(joinCode);
  const guest = await guestOfThisBrowser();
  // An email already taken throws its AccountError, answered 409 EMAIL_TAKEN, and counts against
  // the address's sign-ups like a new account (so trying emails one by one is as slow as making
  // accounts). A weak password never gets this far: the body's schema applies the same rule.
  let user: User;
  try {
    user = await createUser(input, { fromGuestId: guest?.id });
  } finally {
    getSignupLimiter().recordSignup(address);
  }
  if (joinCode !== undefined) await joinWorkshop(user, joinCode);
  await signIn(user.id);
  return Response.json({ user: publicUser(user) }, { status: 201 });
}

export async function logInRoute(request: Request): Promise<Response> {
  const input = await readForm(request, loginBody);
  const email = input.email.toLowerCase();
  const address = clientAddress(request);
  const limiter = getLoginLimiter();
  const limit = limiter.check(email, address);
  if (!limit.ok) return tooMany(limit, 'TOO_MANY_ATTEMPTS', 'Too many failed log-ins.');
  const user = await authenticate(email, input.password);
  if (!user) {
    await sleep(limiter.recordFailure(email, address));
    return jsonError(401, 'WRONG_CREDENTIALS', 'Wrong email or password.');
  }
  limiter.recordSuccess(email, address);
  const guest = await guestOfThisBrowser();
  if (guest) await mergeGuestInto(guest.id, user.id);
  await signIn(user.id);
  return Response.json({ user: publicUser(user) });
}

/**
 * "Forgot password?": mails a reset link when an account has this email. The answer is the same
 * either way, and comes as soon: making and mailing the link happen after it, so neither its words
 * nor its timing say who has an account. Limited per email and per address (login-limiter.ts).
 */
export async function requestPasswordResetRoute(request: Request): Promise<Response> {
  const mail = getConfig().mail;
  if (!mail) return jsonError(409, 'NO_MAIL', noMailMessage);
  const input = await readForm(request, resetRequestBody);
  const email = normaliseEmail(input.email);
  const address = clientAddress(request);
  const limiter = getResetRequestLimiter();
  const limit = limiter.check(email, address);
  if (!limit.ok) return tooMany(limit, 'TOO_MANY_RESETS', 'Too many reset links were asked for.');
  limiter.record(email, address);
  void findUserByEmail(email)
    .then(async (user) => {
      if (!user || user.guest) return;
      const token = await createResetLink(user.id);
      await sendMail(mail, resetLinkMail(user.email, mail.publicUrl, token));
    })
    .catch((error: unknown) => console.error('password reset: the link could not be mailed:', error));
  const minutes = resetLinkLifetimeMs / 60_000;
  return Response.json(
    {
      message: `If an account uses ${email}, a link to choose a new password is on its way there. It works once, for ${minutes} minutes.`,
    },
    { status: 202 },
  );
}

/** A reset link's new password: set, every session of the account ended (204); or 400. */
export async function resetPasswordRoute(request: Request): Promise<Response> {
  const input = await readForm(request, resetBody);
  await resetPasswordWithLink(input.token, input.password);
  return new Response(null, { status: 204 });
}

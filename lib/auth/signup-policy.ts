/**
 * Who may make an account (`SIGNUP_MODE`): `open`, anyone; `workshop`, only someone joining a
 * workshop with its join code (the account is made and joins in one request); `closed`, nobody
 * (the accounts that exist go on; an operator opens sign-up again to add people). An open sign-up
 * lets a stranger make throwaway accounts that fill every sandbox place, so a classroom that
 * only needs its workshop's learners picks `workshop`.
 */
export const signupModes = ['open', 'workshop', 'closed'] as const;

export type SignupMode = (typeof signupModes)[number];

export type SignupRefusal = { status: 403; code: 'SIGNUP_CLOSED' | 'SIGNUP_NEEDS_WORKSHOP'; message: string };

export const signupClosedMessage =
  'Sign-up is closed on this platform. Ask its administrator, or your instructor, for an account.';
export const signupNeedsWorkshopMessage =
  "On this platform, accounts are made from a workshop's join link: ask your instructor for it.";

/** Why this sign-up may not happen, or null when it may (the join code is checked afterwards). */
export function signupRefusal(mode: SignupMode, hasJoinCode: boolean): SignupRefusal | null {
  if (mode === 'closed') return { status: 403, code: 'SIGNUP_CLOSED', message: signupClosedMessage };
  if (mode === 'workshop' && !hasJoinCode) {
    return { status: 403, code: 'SIGNUP_NEEDS_WORKSHOP', message: signupNeedsWorkshopMessage };
  }
  return null;
}

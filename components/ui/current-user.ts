/**
 * Who is signed in, as a static page learns it in the browser: GET /api/auth/me, which answers 200
 * for everyone (`user` is null for a visitor). Components that mount together (the header's
 * account menu, a page's progress) share one request; each later call asks again, so a page never
 * keeps an answer from before someone logged in or out. Asking this first is what lets a visitor's
 * page make no request that fails: only a signed-in user's page asks for their progress.
 */
import type { PublicUser } from '@/lib/auth/public-user';

let inFlight: Promise<PublicUser | null> | undefined;

export function fetchCurrentUser(): Promise<PublicUser | null> {
  inFlight ??= fetch('/api/auth/me', { credentials: 'same-origin', cache: 'no-store' })
    .then(async (response) => {
      if (!response.ok) throw new Error(`/api/auth/me answered ${response.status}`);
      return ((await response.json()) as { user: PublicUser | null }).user;
    })
    .finally(() => {
      inFlight = undefined;
    });
  return inFlight;
}

import { signUpRoute } from '@/lib/auth/auth-routes';
import { apiRoute } from '@/lib/http/api-route';

export const dynamic = 'force-dynamic';

/** `{email, name, password}` → a new learner, logged in (201), or 400 / 409 EMAIL_TAKEN / 429. */
export async function POST(request: Request) {
  return apiRoute(request, { mutation: true, public: true }, () => signUpRoute(request));
}

import { logInRoute } from '@/lib/auth/auth-routes';
import { apiRoute } from '@/lib/http/api-route';

export const dynamic = 'force-dynamic';

/** `{email, password}` → logged in (200), or 401 "Wrong email or password", or 429 with Retry-After. */
export async function POST(request: Request) {
  return apiRoute(request, { mutation: true, public: true }, () => logInRoute(request));
}

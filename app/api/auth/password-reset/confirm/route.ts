import { resetPasswordRoute } from '@/lib/auth/auth-routes';
import { apiRoute } from '@/lib/http/api-route';

export const dynamic = 'force-dynamic';

/** `{token, password}` → 204 (the account's sessions end; log in again), or 400 (a used or expired link, a weak password). */
export async function POST(request: Request) {
  return apiRoute(request, { mutation: true, public: true }, () => resetPasswordRoute(request));
}

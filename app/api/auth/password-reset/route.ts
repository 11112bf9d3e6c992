import { requestPasswordResetRoute } from '@/lib/auth/auth-routes';
import { apiRoute } from '@/lib/http/api-route';

export const dynamic = 'force-dynamic';

/**
 * `{email}` → 202, the same answer whether an account has this email or not (a link is mailed if
 * one does); 409 NO_MAIL without a mail server; 429 with Retry-After.
 */
export async function POST(request: Request) {
  return apiRoute(request, { mutation: true, public: true }, () => requestPasswordResetRoute(request));
}

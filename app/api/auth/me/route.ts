import { ensureCsrfCookie } from '@/lib/auth/identity';
import { publicUser } from '@/lib/auth/public-user';
import { apiRoute } from '@/lib/http/api-route';

export const dynamic = 'force-dynamic';

/** Who this browser is logged in as (`user` is null when nobody); also hands out the CSRF cookie. */
export async function GET(request: Request) {
  return apiRoute(request, { mutation: false, public: true }, async ({ user }) => {
    await ensureCsrfCookie();
    return Response.json(
      { user: user ? publicUser(user) : null },
      { headers: { 'cache-control': 'no-store' } },
    );
  });
}

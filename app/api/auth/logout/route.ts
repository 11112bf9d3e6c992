import { signOut } from '@/lib/auth/identity';
import { apiRoute } from '@/lib/http/api-route';

export const dynamic = 'force-dynamic';

/** Ends this browser's session (logging out twice is fine: the second time nothing is left). */
export async function POST(request: Request) {
  return apiRoute(request, { mutation: true, public: true }, async () => {
    await signOut();
    return new Response(null, { status: 204 });
  });
}

import { apiRoute } from '@/lib/http/api-route';
import { progressSummary } from '@/lib/progress/summary';

export const dynamic = 'force-dynamic';

/** The signed-in learner's own progress (lib/progress/summary.ts); 401 when signed out. */
export async function GET(request: Request) {
  return apiRoute(request, { mutation: false }, async ({ user }) =>
    Response.json(await progressSummary(user.id), { headers: { 'cache-control': 'no-store' } }),
  );
}

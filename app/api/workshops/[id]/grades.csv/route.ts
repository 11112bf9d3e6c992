import { apiRoute } from '@/lib/http/api-route';
import { gradesCsv, gradesFileName } from '@/lib/workshops/grades';
import { workshopDashboard } from '@/lib/workshops/workshops';

export const dynamic = 'force-dynamic';

/** The grades as CSV: one row per learner, a column per step (docs/workshops.md). */
export async function GET(request: Request, context: RouteContext<'/api/workshops/[id]/grades.csv'>) {
  const { id } = await context.params;
  return apiRoute(request, { mutation: false, role: 'instructor' }, async ({ user }) => {
    const { workshop, view } = await workshopDashboard(user, id);
    return new Response(gradesCsv(view), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${gradesFileName(workshop.title, new Date())}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
}

import { apiRoute } from '@/lib/http/api-route';
import { jsonError } from '@/lib/http/responses';
import { markChapterRead } from '@/lib/progress/submissions';

export const dynamic = 'force-dynamic';

/** The signed-in learner reached the end of the chapter: `{chapter, firstReadAt, lastReadAt}`. */
export async function POST(request: Request, context: RouteContext<'/api/progress/chapters/[chapter]'>) {
  const { chapter } = await context.params;
  return apiRoute(request, { mutation: true }, async ({ user }) => {
    const result = await markChapterRead(user.id, chapter);
    if (!result.ok) return jsonError(result.status, result.error, result.message);
    const { firstReadAt, lastReadAt } = result;
    return Response.json({ chapter: result.chapter, firstReadAt, lastReadAt });
  });
}

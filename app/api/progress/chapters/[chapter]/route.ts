import { apiRoute } from '@/lib/http/api-route';
import { markChapterRead } from '@/lib/progress/submissions';

export const dynamic = 'force-dynamic';

/** The signed-in learner reached the end of the chapter: `{chapter, firstReadAt, lastReadAt}`. */
export async function POST(request: Request, context: RouteContext<'/api/progress/chapters/[chapter]'>) {
  const { chapter } = await context.params;
  return apiRoute(request, { mutation: true }, async ({ user }) =>
    Response.json(await markChapterRead(user.id, chapter)),
  );
}

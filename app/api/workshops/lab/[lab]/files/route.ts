import { apiRoute } from '@/lib/http/api-route';
import { jsonError } from '@/lib/http/responses';
import { getLab } from '@/lib/labs/catalog';
import { workspaceDownload } from '@/lib/workshops/workspace-download';

export const dynamic = 'force-dynamic';

/**
 * A copy of the learner's workspace of this lab as a zip, also while an ended workshop holds the
 * sandbox stopped (it is started for the copy and stopped again).
 */
export async function POST(request: Request, context: RouteContext<'/api/workshops/lab/[lab]/files'>) {
  const { lab } = await context.params;
  return apiRoute(request, { mutation: true }, async ({ user }) => {
    if (!getLab(lab)) return jsonError(404, 'LAB_NOT_FOUND', `There is no lab "${lab.slice(0, 64)}".`);
    const zip = await workspaceDownload(user.id, lab);
    return new Response(new Uint8Array(zip), {
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${lab}-workspace.zip"`,
        'cache-control': 'no-store',
      },
    });
  });
}

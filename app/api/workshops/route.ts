import { apiRoute } from '@/lib/http/api-route';
import { readJson } from '@/lib/http/responses';
import { createWorkshopSchema } from '@/lib/workshops/input';
import { createWorkshop, listWorkshops } from '@/lib/workshops/workshops';

export const dynamic = 'force-dynamic';

/** The instructor's workshops (an admin's: everyone's). */
export async function GET(request: Request) {
  return apiRoute(request, { mutation: false, role: 'instructor' }, async ({ user }) =>
    Response.json({ workshops: await listWorkshops(user) }),
  );
}

/** Creates a workshop: `{title, labs: [labId…], startsAt, endsAt}` (ISO 8601 with an offset). */
export async function POST(request: Request) {
  return apiRoute(request, { mutation: true, role: 'instructor' }, async ({ user }) => {
    const body = await readJson(request, createWorkshopSchema);
    return Response.json({ workshop: await createWorkshop(user, body) }, { status: 201 });
  });
}

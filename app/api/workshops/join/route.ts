import { apiRoute } from '@/lib/http/api-route';
import { readJson } from '@/lib/http/responses';
import { joinWorkshopSchema } from '@/lib/workshops/input';
import { joinWorkshop } from '@/lib/workshops/workshops';

export const dynamic = 'force-dynamic';

/** Joins the workshop with this code (`{code}`); joining again changes nothing. */
export async function POST(request: Request) {
  return apiRoute(request, { mutation: true }, async ({ user }) => {
    const body = await readJson(request, joinWorkshopSchema);
    const workshop = await joinWorkshop(user, body.code);
    return Response.json({
      workshop: { id: workshop.id, title: workshop.title, labs: workshop.labs, status: workshop.status },
      firstLab: workshop.labs[0]?.id ?? null,
    });
  });
}

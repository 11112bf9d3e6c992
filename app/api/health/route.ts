import { getDb } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

/** Liveness and database check for operators, load balancers and `npm start`'s readiness wait. */
export async function GET() {
  try {
    await getDb().$queryRaw`SELECT 1`;
    return Response.json({ status: 'ok', database: 'ok' });
  } catch (error) {
    console.error('health check: database unavailable', error);
    return Response.json({ status: 'error', database: 'unavailable' }, { status: 503 });
  }
}

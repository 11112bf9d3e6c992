import { adminRoute } from '@/lib/admin/admin-route';
import { listSandboxes } from '@/lib/admin/sandboxes';

export const dynamic = 'force-dynamic';

/** Every sandbox on the runner with its owner, lab and usage (the sandboxes page polls this). */
export async function GET(request: Request) {
  return adminRoute(request, { mutation: false }, async () => Response.json(await listSandboxes()));
}

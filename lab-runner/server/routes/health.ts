/** `GET /v1/health` and `GET /metrics`: public, for load balancers and Prometheus. */
import type { FastifyPluginAsync } from 'fastify';
import type { SessionManager } from '../../sessions/manager';
import type { RunnerMetrics } from '../metrics';

export const healthRoutes: FastifyPluginAsync<{ sessions: SessionManager; metrics: RunnerMetrics }> = async (
  app,
  { sessions, metrics },
) => {
  app.get('/v1/health', async () => ({
    status: 'ok',
    sessions: sessions.list().length,
    pool: sessions.poolSize(),
  }));

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};

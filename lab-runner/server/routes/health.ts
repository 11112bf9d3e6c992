/**
 * `GET /v1/health`: public, for load balancers. `GET /metrics` (Prometheus text) is registered in
 * the server scope: it needs the runner secret as a bearer token, since it tells whoever reads it
 * how many learners work and how busy the host is.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { SessionManager } from '../../sessions/manager';
import type { RunnerMetrics } from '../metrics';

export const healthRoutes: FastifyPluginAsync<{ sessions: SessionManager }> = async (app, { sessions }) => {
  app.get('/v1/health', async () => ({
    status: 'ok',
    sessions: sessions.list().length,
    pool: sessions.poolSize(),
  }));
};

/** In the server scope. */
export const metricsRoutes: FastifyPluginAsync<{ metrics: RunnerMetrics }> = async (app, { metrics }) => {
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};

/**
 * The lab runner's HTTP and WebSocket API, assembled: one error shape for every failure
 * (`{"error": CODE, "message": …}`, a 4xx for bad input, never a stack trace), the public routes,
 * and the two authenticated scopes (auth.ts), each guarded once by its own hook. The routes
 * themselves live in routes/, one file per area.
 */
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { LabCatalog } from '../labs';
import type { SessionManager } from '../sessions/manager';
import { RunnerError } from '../errors';
import { serverScopeGuard, sessionScopeGuard } from './auth';
import type { RunnerMetrics } from './metrics';
import { defaultExecBudget, ExecBudget, type ExecBudgetOptions } from './exec-budget';
import type { NonceRegistry } from './nonces';
import { checkRoutes } from './routes/checks';
import { execRoutes } from './routes/exec';
import { fileRoutes } from './routes/files';
import { healthRoutes, metricsRoutes } from './routes/health';
import { serviceRoutes } from './routes/services';
import { sessionRoutes } from './routes/sessions';
import { terminalRoutes } from './routes/terminal';

export type RunnerAppOptions = {
  sessions: SessionManager;
  labs: LabCatalog;
  metrics: RunnerMetrics;
  secret: string;
  allowedOrigins: string[];
  nonces: NonceRegistry;
  /** What a browser's file operations and service ports may cost (defaults: exec-budget.ts). */
  execBudget?: ExecBudgetOptions;
  logger?: boolean;
};

export async function buildRunnerApp(options: RunnerAppOptions): Promise<FastifyInstance> {
  const { sessions, labs, metrics, secret, allowedOrigins, nonces } = options;
  const execBudget = new ExecBudget(options.execBudget ?? defaultExecBudget);
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 4 * 1024 * 1024, trustProxy: false });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof RunnerError) return reply.status(error.status).send(error.toJSON());
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({ error: 'BAD_REQUEST', message: (error as Error).message });
    }
    request.log.error(error);
    console.error('runner: unexpected error', error);
    return reply.status(500).send({
      error: 'INTERNAL',
      message: 'Something went wrong in the lab runner; the error has been logged.',
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: 'NOT_FOUND', message: `No endpoint ${request.method} ${request.url.split('?')[0]}.` }),
  );

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  await app.register(healthRoutes, { sessions });

  // Only the web app calls these.
  await app.register(async (serverScope) => {
    serverScope.addHook('onRequest', serverScopeGuard(secret));
    await serverScope.register(metricsRoutes, { metrics });
    await serverScope.register(sessionRoutes, { sessions });
    await serverScope.register(execRoutes, { sessions });
    await serverScope.register(checkRoutes, { sessions, labs, metrics });
  });

  // One session's workspace: the web app, or a browser with that session's token.
  await app.register(async (sessionScope) => {
    sessionScope.decorateRequest('sessionAccess');
    sessionScope.addHook('onRequest', sessionScopeGuard({ secret, sessions, allowedOrigins }));
    await sessionScope.register(fileRoutes, { sessions, execBudget });
    await sessionScope.register(terminalRoutes, { sessions, nonces });
    await sessionScope.register(serviceRoutes, { sessions, execBudget });
  });

  return app;
}

/**
 * The lab runner's HTTP and WebSocket API. Route handlers parse input with zod, call the session
 * manager, and every failure leaves as `{"error": CODE, "message": …}` with a 4xx for bad input.
 */
import os from 'node:os';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { defaultSandboxResources } from '../drivers/driver';
import { sessionIdSchema, sessionStates, userIdSchema, type CapacityView } from '../api/sessions';
import type { SessionManager } from '../sessions/manager';
import { maxEditableFileBytes, parseWorkspacePath, WorkspaceFiles } from '../workspace-files';
import { labIdSchema, type LabCatalog } from '../labs';
import { gradeStep } from '../grading/grader';
import { requireServer, requireSessionAccess } from './auth';
import { RunnerError } from '../errors';
import type { RunnerMetrics } from './metrics';
import { registerServiceProxy } from './services-proxy';
import { registerTerminal } from './terminal';
import type { NonceRegistry } from './nonces';
import { runWithFilesScript } from './exec-files';

export type RunnerAppOptions = {
  sessions: SessionManager;
  labs: LabCatalog;
  metrics: RunnerMetrics;
  secret: string;
  allowedOrigins: string[];
  nonces: NonceRegistry;
  logger?: boolean;
};

const sessionParams = z.object({ id: sessionIdSchema });

const createBody = z.strictObject({ userId: userIdSchema, labId: labIdSchema });
const listQuery = z.strictObject({
  userId: userIdSchema.optional(),
  state: z.enum(sessionStates).optional(),
});
const execBody = z.strictObject({
  cmd: z
    .array(z.string().max(64 * 1024))
    .min(1)
    .max(256),
  user: z.enum(['learner', 'grader']).default('learner'),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(10 * 60_000)
    .default(30_000),
  files: z.record(z.string().min(1).max(512), z.string().max(maxEditableFileBytes)).optional(),
});
const execOutputLimitBytes = 1024 * 1024;
const writeBody = z.union([
  z.strictObject({ content: z.string() }),
  z.strictObject({ type: z.literal('directory') }),
]);
const moveBody = z.strictObject({ from: z.string(), to: z.string() });
const checkBody = z.strictObject({ stepId: z.string().min(1).max(64) });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new RunnerError('BAD_REQUEST', `Invalid ${what}: ${where}${issue?.message ?? 'invalid'}.`);
  }
  return result.data;
}

/**
 * What an operator's dashboard shows: the limits and their use, the default sandbox limits, and the
 * host's memory (the whole machine's, as the kernel reports it; a container's own limit is not seen).
 */
export function capacityView(sessions: SessionManager): CapacityView {
  return {
    ...sessions.capacity(),
    sandboxMemoryMb: defaultSandboxResources.memoryMb,
    sandboxCpus: defaultSandboxResources.cpus,
    host: {
      memoryTotalBytes: os.totalmem(),
      memoryAvailableBytes: os.freemem(),
      cpus: os.availableParallelism(),
    },
  };
}

export function sessionIdOf(request: FastifyRequest): string {
  return parse(sessionParams, request.params, 'session id').id;
}

export async function buildRunnerApp(options: RunnerAppOptions): Promise<FastifyInstance> {
  const { sessions, secret } = options;
  const files = new WorkspaceFiles(sessions);
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

  // ── health and metrics ────────────────────────────────────────────────────────────────────
  app.get('/v1/health', async () => ({
    status: 'ok',
    sessions: sessions.list().length,
    pool: sessions.poolSize(),
  }));
  app.get('/v1/capacity', async (request) => {
    requireServer(request, secret);
    return capacityView(sessions);
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });

  // ── sessions (server-to-server) ───────────────────────────────────────────────────────────
  app.post('/v1/sessions', async (request, reply) => {
    requireServer(request, secret);
    const { userId, labId } = parse(createBody, request.body, 'request body');
    const { session, isNew } = await sessions.create(userId, labId);
    return reply.status(isNew ? 201 : 200).send(sessions.view(session));
  });

  app.get('/v1/sessions', async (request) => {
    requireServer(request, secret);
    const filter = parse(listQuery, request.query, 'query');
    return { sessions: sessions.list(filter).map((s) => sessions.view(s)) };
  });

  app.get('/v1/sessions/:id', async (request) => {
    requireServer(request, secret);
    return sessions.view(sessions.get(sessionIdOf(request)));
  });

  for (const action of ['stop', 'resume', 'reset'] as const) {
    app.post(`/v1/sessions/:id/${action}`, async (request) => {
      requireServer(request, secret);
      const session = await sessions[action](sessionIdOf(request));
      return sessions.view(session);
    });
  }

  app.delete('/v1/sessions/:id', async (request, reply) => {
    requireServer(request, secret);
    await sessions.destroy(sessionIdOf(request));
    return reply.status(204).send();
  });

  app.get('/v1/sessions/:id/stats', async (request) => {
    requireServer(request, secret);
    const id = sessionIdOf(request);
    sessions.requireReady(id);
    return options.sessions.stats(id);
  });

  app.post('/v1/sessions/:id/exec', async (request) => {
    requireServer(request, secret);
    const id = sessionIdOf(request);
    const body = parse(execBody, request.body, 'request body');
    if (!body.files) {
      return sessions.exec(id, { ...body, outputLimitBytes: execOutputLimitBytes });
    }
    const filePaths = Object.keys(body.files).map((p) => parseWorkspacePath(p));
    if (filePaths.some((p) => p === '')) throw new RunnerError('BAD_REQUEST', 'Every file needs a name.');
    return sessions.exec(id, {
      cmd: ['python3', '-c', runWithFilesScript],
      user: body.user,
      timeoutMs: body.timeoutMs,
      stdin: Buffer.from(JSON.stringify({ files: body.files, cmd: body.cmd })),
      outputLimitBytes: execOutputLimitBytes,
    });
  });

  // Grades one step: its runs as the learner, then its check as the grader (grading/grader.ts).
  app.post('/v1/sessions/:id/checks', async (request) => {
    requireServer(request, secret);
    const id = sessionIdOf(request);
    const { stepId } = parse(checkBody, request.body, 'request body');
    const result = await gradeStep({ sessions, labs: options.labs }, id, stepId);
    options.metrics.checks.inc({ status: result.status });
    options.metrics.checkSeconds.observe(result.durationMs / 1000);
    return result;
  });

  // ── files (server, or the session's own browser token; a read-only token only reads) ─────
  app.get('/v1/sessions/:id/files', async (request) => {
    const id = sessionIdOf(request);
    requireSessionAccess(request, secret, sessions, id, 'read');
    return files.read(id, parseWorkspacePath((request.query as { path?: unknown }).path));
  });

  app.get('/v1/sessions/:id/files/tree', async (request) => {
    const id = sessionIdOf(request);
    requireSessionAccess(request, secret, sessions, id, 'read');
    return files.tree(id);
  });

  app.put('/v1/sessions/:id/files', async (request) => {
    const id = sessionIdOf(request);
    requireSessionAccess(request, secret, sessions, id);
    const relativePath = parseWorkspacePath((request.query as { path?: unknown }).path);
    const body = parse(writeBody, request.body, 'request body');
    if ('type' in body) return files.mkdir(id, relativePath);
    return files.write(id, relativePath, Buffer.from(body.content, 'utf8'));
  });

  app.post('/v1/sessions/:id/files/move', async (request) => {
    const id = sessionIdOf(request);
    requireSessionAccess(request, secret, sessions, id);
    const body = parse(moveBody, request.body, 'request body');
    return files.move(id, parseWorkspacePath(body.from), parseWorkspacePath(body.to));
  });

  app.delete('/v1/sessions/:id/files', async (request) => {
    const id = sessionIdOf(request);
    requireSessionAccess(request, secret, sessions, id);
    return files.remove(id, parseWorkspacePath((request.query as { path?: unknown }).path));
  });

  registerTerminal(app, options);
  await app.register(async (scope) => registerServiceProxy(scope, options));
  return app;
}

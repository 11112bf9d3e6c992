/**
 * The tracking server: MLflow's REST API 2.0 for experiments, runs, artifacts and the model
 * registry, so the official `mlflow` 2.x Python client works against it unchanged. This module
 * builds the one Fastify app: how bodies are read, how failures leave (MLflow's
 * `{"error_code","message"}`), and which routes it serves, each under both API prefixes.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { artifactProxyRoutes } from './artifact-proxy';
import { ArtifactStore } from './artifacts';
import { MlflowError } from './errors';
import { registryRoutes } from './registry-routes';
import { fieldsOf } from './routing';
import { TrackingStore } from './store';
import { trackingRoutes } from './tracking-routes';
import { apiPrefixes } from './wire';

export type TrackingServerOptions = {
  dataDir: string;
  logger?: boolean;
  /** The largest artifact upload accepted (bytes); 100 MB unless set. */
  artifactMaxBytes?: number;
};

/** The MLflow release whose REST surface this server follows; `GET /version` reports it. */
export const mlflowCompatibleVersion = '2.19.0';
const bodyLimitBytes = 16 * 1024 * 1024;

export async function buildTrackingServer(options: TrackingServerOptions): Promise<FastifyInstance> {
  const store = TrackingStore.open(options.dataDir);
  const artifacts = new ArtifactStore(options.dataDir, options.artifactMaxBytes);
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: bodyLimitBytes });
  app.addHook('onClose', async () => store.close());

  // MLflow reads bodies with `get_json(force=True)`: any content type, and an empty body is `{}`.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new MlflowError('BAD_REQUEST', 'Malformed request: the body is not valid JSON.'), undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof MlflowError) return reply.status(error.status).send(error.toJSON());
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({ error_code: 'BAD_REQUEST', message: (error as Error).message });
    }
    request.log.error(error);
    console.error('labkit tracking: unexpected error', error);
    return reply.status(500).send({
      error_code: 'INTERNAL_ERROR',
      message: 'The tracking server hit an unexpected error; it has been logged.',
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error_code: 'ENDPOINT_NOT_FOUND',
      message: `No API endpoint found for ${request.method} ${request.url.split('?')[0]}`,
    }),
  );

  app.get('/health', async (_request, reply) => reply.type('text/plain').send('OK'));
  app.get('/version', async (_request, reply) => reply.type('text/plain').send(mlflowCompatibleVersion));

  for (const { endpoint, handle } of [
    ...trackingRoutes(store, artifacts),
    ...registryRoutes(store.registry),
  ]) {
    for (const prefix of apiPrefixes) {
      app.route({
        method: [...endpoint.methods],
        url: `${prefix}/${endpoint.path}`,
        handler: (request) => handle(fieldsOf(request)),
      });
    }
  }
  await app.register(async (scope) => artifactProxyRoutes(scope, artifacts));
  return app;
}

/**
 * The pipelines service (`labkit serve pipelines`): a read-only view of the learner's DVC project
 * for the workspace's Pipelines tab, as JSON under `/api/v1` (the endpoints of `../wire`), plus
 * `GET /health`. It runs as the labkit user and never writes into the workspace: the learner runs
 * `repro` in their own terminal, and the tab follows it by polling the pipeline (the stages'
 * states come from the run state `repro` keeps) and the running stage's log.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type * as z from 'zod';
import type { DvcRepo } from '../../data/repo';
import {
  errorReplySchema,
  pipelinesApiPrefix,
  pipelinesEndpoints,
  plotImageEndpoint,
  type ErrorReply,
  type PipelinesEndpoint,
} from '../wire';
import { diffView } from './diffs';
import { readLog } from './logs';
import { loadForView, pipelineView } from './pipeline-view';
import { plotImage, plotsView } from './plots-view';
import { Workspace } from './workspace';

export type PipelinesServerOptions = {
  /** The learner's workspace (`/home/learner/work` in a sandbox); only read. */
  workspace: string;
  /** The service's own folder (a bare git repository to read commits with). */
  dataDir: string;
  logger?: boolean;
};

class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  toJSON(): ErrorReply {
    return errorReplySchema.parse({ error: this.code, message: this.message });
  }
}

function queryOf<Q extends z.ZodType>(schema: Q, query: unknown): z.output<Q> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'query';
  throw new ServiceError(400, 'BAD_REQUEST', `Invalid ${field}: ${issue?.message ?? 'not understood'}.`);
}

export async function buildPipelinesServer(options: PipelinesServerOptions): Promise<FastifyInstance> {
  const workspace = new Workspace(options.workspace);
  const app = Fastify({ logger: options.logger ?? false });

  /** The project asked for (the first one when none is named), opened read-only. */
  const open = (requested: string | undefined): { project: string; repo: DvcRepo } => {
    const project = workspace.choose(requested);
    if (project === undefined) {
      throw new ServiceError(
        404,
        'NO_PROJECT',
        requested === undefined
          ? 'There is no DVC project in the workspace yet: run `labkit data init` in it.'
          : `There is no DVC project at '${requested}' in the workspace.`,
      );
    }
    return { project, repo: workspace.open(project) };
  };
  const loaded = (requested: string | undefined) => {
    const result = loadForView(open(requested).repo);
    if ('problem' in result) throw new ServiceError(409, 'PIPELINE_INVALID', result.problem);
    return result.project;
  };

  const route = <E extends PipelinesEndpoint>(
    endpoint: E,
    handle: (query: z.output<E['query']>) => z.input<E['reply']>,
  ) =>
    app.get(`${pipelinesApiPrefix}/${endpoint.path}`, async (request) =>
      handle(queryOf(endpoint.query, request.query) as z.output<E['query']>),
    );

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ServiceError) return reply.status(error.status).send(error.toJSON());
    console.error('labkit pipelines: unexpected error', error);
    return reply.status(500).send({
      error: 'INTERNAL_ERROR',
      message: 'The pipelines service hit an unexpected error; it has been logged.',
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'ENDPOINT_NOT_FOUND',
      message: `No endpoint for ${request.method} ${request.url.split('?')[0]}.`,
    }),
  );

  app.get('/health', async (_request, reply) => reply.type('text/plain').send('OK'));

  route(pipelinesEndpoints.pipeline, ({ project: requested }) => {
    const projects = workspace.projects();
    if (requested === undefined && projects.length === 0) {
      return {
        project: null,
        projects,
        problem: null,
        repro: { running: false },
        stages: [],
        data: [],
        edges: [],
      };
    }
    const { project, repo } = open(requested);
    return pipelineView(repo, project, projects);
  });
  route(pipelinesEndpoints.log, ({ project, stage, offset }) => readLog(open(project).repo, stage, offset));
  route(pipelinesEndpoints.diff, ({ project }) => diffView(loaded(project), options.dataDir));
  route(pipelinesEndpoints.plots, ({ project }) => plotsView(loaded(project)));
  app.get(`${pipelinesApiPrefix}/${plotImageEndpoint.path}`, async (request, reply) => {
    const query = queryOf(plotImageEndpoint.query, request.query);
    const image = plotImage(loaded(query.project), query.path);
    if (!image)
      throw new ServiceError(404, 'NOT_FOUND', `'${query.path}' is not an image plot of this project.`);
    return reply.type(image.type).header('cache-control', 'no-store').send(image.bytes);
  });
  return app;
}

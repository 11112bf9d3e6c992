/**
 * The pipelines service's endpoints: each a GET under {@link pipelinesApiPrefix} with its query
 * and reply schemas. The server parses queries with them and types its replies against them; the
 * browser's client builds its URLs and checks the replies with the same table.
 */
import * as z from 'zod';
import { diffViewSchema, logChunkSchema, pipelineViewSchema, plotsViewSchema } from './entities';

export const pipelinesApiPrefix = '/api/v1';

/** Which DVC project of the workspace (its folder, relative); the first one found when left out. */
const projectField = { project: z.string().min(1).max(512).optional() };
export const projectQuerySchema = z.object(projectField);

export type PipelinesEndpoint<Query extends z.ZodType = z.ZodType, Reply extends z.ZodType = z.ZodType> = {
  path: string;
  query: Query;
  reply: Reply;
};

function endpoint<Query extends z.ZodType, Reply extends z.ZodType>(
  path: string,
  query: Query,
  reply: Reply,
): PipelinesEndpoint<Query, Reply> {
  return { path, query, reply };
}

/** The largest piece of a log one reply carries; a longer log is sent from its end. */
export const logChunkMaxBytes = 64 * 1024;

export const pipelinesEndpoints = {
  /** The graph: every stage with its state, details and last run; the data between them. */
  pipeline: endpoint('pipeline', projectQuerySchema, pipelineViewSchema),
  /**
   * A stage's log (`.dvc/tmp/labkit/logs/<stage>.log`) from `offset` (bytes; -1: its last
   * {@link logChunkMaxBytes}), for following a running stage.
   */
  log: endpoint(
    'log',
    z.object({
      ...projectField,
      stage: z.string().min(1).max(512),
      offset: z.coerce.number().int().min(-1).default(-1),
    }),
    logChunkSchema,
  ),
  /** The tracked parameters and the metrics, in the workspace against the last commit (HEAD). */
  diff: endpoint('diff', projectQuerySchema, diffViewSchema),
  /** The plots dvc.yaml declares, drawn from the workspace's files. */
  plots: endpoint('plots', projectQuerySchema, plotsViewSchema),
} as const;

/**
 * An image plot's bytes (PNG, JPEG, GIF or SVG), by the `path` its plot names. Not JSON, so not in
 * the table above; only paths the pipeline declares as plots are served.
 */
export const plotImageEndpoint = {
  path: 'plot-image',
  query: z.object({ ...projectField, path: z.string().min(1).max(1024) }),
} as const;

export type EndpointQuery<E extends PipelinesEndpoint> = z.input<E['query']>;
export type ParsedQuery<E extends PipelinesEndpoint> = z.output<E['query']>;
export type EndpointReply<E extends PipelinesEndpoint> = z.output<E['reply']>;

/** An endpoint's URL path with its query (unset fields left out), relative to the service's root. */
export function endpointUrl(path: string, query: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return `${pipelinesApiPrefix}/${path}${text ? `?${text}` : ''}`;
}

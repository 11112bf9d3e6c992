/**
 * The browser's client for a sandbox's pipelines service (labkit, read-only JSON), reached through
 * the runner's service proxy on the web app's own origin:
 * `/runner/v1/sessions/<id>/services/5100/api/v1/…` with the session's `X-Academy-Token`.
 *
 * URLs and replies are the wire module's (`@/labkit/pipelines/wire`, the same the service answers
 * with). Failures are `TrackingError`s, the error type of the service pages' `useLiveQuery`
 * (despite its name, it is any labkit service's): the service's or the runner's code and sentence,
 * and the HTTP status, so "not answering" reads the same on every service page.
 */
import * as z from 'zod';
import { labkitServices } from '@/lab-runner/api/labkit-services';
import {
  diffViewSchema,
  endpointUrl,
  errorReplySchema,
  logChunkSchema,
  pipelinesEndpoints,
  pipelineViewSchema,
  plotImageEndpoint,
  plotsViewSchema,
  type DiffView,
  type LogChunk,
  type PipelineView,
  type PlotsView,
} from '@/labkit/pipelines/wire';
import { fetchWithToken, type SessionAccess } from '../../session-access';
import { TrackingError } from '../tracking/tracking-client';

/** Requests the service does not answer within this time fail, so nothing waits forever. */
const requestTimeoutMs = 30_000;

type Fetch = typeof fetch;

/** The error for a reply that is not 2xx, from the service's or the runner's error body. */
export function pipelinesErrorFromReply(status: number, statusText: string, payload: unknown): TrackingError {
  const parsed = errorReplySchema.safeParse(payload);
  if (parsed.success) return new TrackingError(parsed.data.error, parsed.data.message, status);
  const what = `${status} ${statusText}`.trim();
  if (status === 502 || status === 503 || status === 504) {
    return new TrackingError(
      'SERVICE_UNAVAILABLE',
      `The pipelines service is not answering (${what}); it may still be starting.`,
      status,
    );
  }
  return new TrackingError('BAD_RESPONSE', `The pipelines service answered ${what}.`, status);
}

export class PipelinesClient {
  constructor(
    private readonly access: SessionAccess,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  /** The service's base path on this origin. */
  get basePath(): string {
    const session = encodeURIComponent(this.access.sessionId);
    return `${this.access.runnerBase}/v1/sessions/${session}/services/${labkitServices.pipelines.port}`;
  }

  private async send(path: string, query: Record<string, string | number | undefined>): Promise<Response> {
    const response = await fetchWithToken(
      this.access,
      'GET',
      `${this.basePath}${endpointUrl(path, query)}`,
      undefined,
      {
        fetchImpl: this.fetchImpl,
        timeoutMs: requestTimeoutMs,
        unreachable: (isTimeout) =>
          new TrackingError(
            'NETWORK_ERROR',
            isTimeout
              ? 'The pipelines service did not answer in time.'
              : 'Could not reach the pipelines service: check your connection.',
            0,
          ),
      },
    );
    if (!response.ok) {
      let payload: unknown = null;
      try {
        payload = await response.json();
      } catch {
        // not JSON: described by its status
      }
      throw pipelinesErrorFromReply(response.status, response.statusText, payload);
    }
    return response;
  }

  private async json<S extends z.ZodType>(
    schema: S,
    path: string,
    query: Record<string, string | number | undefined>,
  ): Promise<z.output<S>> {
    const response = await this.send(path, query);
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      throw new TrackingError(
        'BAD_RESPONSE',
        'The pipelines service answered something that is not JSON.',
        response.status,
      );
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'reply';
      throw new TrackingError(
        'BAD_RESPONSE',
        `The pipelines service answered something this page cannot read (${where}: ${issue?.message ?? 'unexpected'}).`,
        response.status,
      );
    }
    return parsed.data;
  }

  /** The project's stages with their states, and the graph (the first project when none is named). */
  pipeline(project?: string): Promise<PipelineView> {
    return this.json(pipelineViewSchema, pipelinesEndpoints.pipeline.path, { project });
  }

  /** A stage's log from `offset` (bytes; -1 for its end). */
  log(stage: string, offset: number, project?: string): Promise<LogChunk> {
    return this.json(logChunkSchema, pipelinesEndpoints.log.path, { project, stage, offset });
  }

  /** The tracked params and the metrics in the workspace against the last commit. */
  diff(project?: string): Promise<DiffView> {
    return this.json(diffViewSchema, pipelinesEndpoints.diff.path, { project });
  }

  plots(project?: string): Promise<PlotsView> {
    return this.json(plotsViewSchema, pipelinesEndpoints.plots.path, { project });
  }

  /** An image plot's bytes, as a Blob to show through an object URL. */
  async plotImage(path: string, project?: string): Promise<Blob> {
    const response = await this.send(plotImageEndpoint.path, { project, path });
    return response.blob();
  }
}

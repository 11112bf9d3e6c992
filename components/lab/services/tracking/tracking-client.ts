/**
 * The browser's client for a sandbox's tracking service (labkit, MLflow REST API 2.0), reached
 * through the runner's service proxy on the web app's own origin:
 * `/runner/v1/sessions/<id>/services/5000/api/2.0/mlflow/…` with the session's `X-Academy-Token`.
 *
 * Requests and replies are the wire module's (`@/labkit/tracking/wire`, the same the service
 * parses with): replies are decoded as MLflow writes them (empty lists may be left out, int64
 * fields may come as decimal strings, metric values may be "NaN", "Infinity" or "-Infinity"), then
 * mapped to the camelCase shapes the pages use. Every failure becomes a `TrackingError` whose
 * message is the server's sentence.
 */
import { z } from 'zod';
import { labkitServices } from '@/lab-runner/api/labkit-services';
import {
  apiPrefixes,
  artifactProxyPrefixes,
  errorBodySchema,
  followPageTokens,
  parseJson,
  queryOf,
  registryEndpoints,
  trackingEndpoints,
  type Endpoint,
  type Experiment as WireExperiment,
  type Metric as WireMetric,
  type ModelStage,
  type ModelVersion as WireModelVersion,
  type ParsedResponse,
  type RegisteredModel as WireRegisteredModel,
  type RequestFields,
  type Run as WireRun,
  type RunStatus,
} from '@/labkit/tracking/wire';
import { fetchWithToken, type SessionAccess } from '../../session-access';

export type { ModelStage, RunStatus };

// ── the types the pages use ─────────────────────────────────────────────────────────────────────

export type Experiment = {
  id: string;
  name: string;
  isActive: boolean;
  creationTime: number | null;
  lastUpdateTime: number | null;
};

export type Metric = { key: string; value: number; timestamp: number; step: number };

export type Run = {
  id: string;
  name: string;
  experimentId: string;
  status: RunStatus;
  startTime: number | null;
  endTime: number | null;
  artifactUri: string | null;
  userId: string;
  /** The latest value of each metric, by key. */
  metrics: Record<string, Metric>;
  params: Record<string, string>;
  tags: Record<string, string>;
};

export type ModelVersion = {
  name: string;
  version: string;
  stage: ModelStage;
  aliases: string[];
  creationTime: number | null;
  lastUpdatedTime: number | null;
  description: string;
  source: string;
  runId: string | null;
  status: string;
  tags: Record<string, string>;
};

export type RegisteredModel = {
  name: string;
  description: string;
  creationTime: number | null;
  lastUpdatedTime: number | null;
  aliases: { alias: string; version: string }[];
  latestVersions: ModelVersion[];
  tags: Record<string, string>;
};

export type ArtifactFile = { path: string; isDir: boolean; size: number | null };

export type RunsPage = { runs: Run[]; nextPageToken: string | null };

const toRecord = (list: { key: string; value: string }[]) =>
  Object.fromEntries(list.map(({ key, value }) => [key, value]));

function toExperiment(raw: WireExperiment): Experiment {
  return {
    id: raw.experiment_id,
    name: raw.name,
    isActive: raw.lifecycle_stage === 'active',
    creationTime: raw.creation_time ?? null,
    lastUpdateTime: raw.last_update_time ?? null,
  };
}

function toMetric(raw: WireMetric): Metric {
  return { key: raw.key, value: raw.value, timestamp: raw.timestamp, step: raw.step };
}

function toRun(raw: WireRun): Run {
  const id = raw.info.run_id;
  const tagRecord = toRecord(raw.data.tags);
  return {
    id,
    name: raw.info.run_name || tagRecord['mlflow.runName'] || id.slice(0, 8),
    experimentId: raw.info.experiment_id,
    status: raw.info.status,
    startTime: raw.info.start_time ?? null,
    endTime: raw.info.end_time ?? null,
    artifactUri: raw.info.artifact_uri ?? null,
    userId: raw.info.user_id ?? '',
    metrics: Object.fromEntries(raw.data.metrics.map((m) => [m.key, toMetric(m)])),
    params: toRecord(raw.data.params),
    tags: tagRecord,
  };
}

function toModelVersion(raw: WireModelVersion): ModelVersion {
  return {
    name: raw.name,
    version: raw.version,
    stage: raw.current_stage,
    aliases: raw.aliases,
    creationTime: raw.creation_timestamp ?? null,
    lastUpdatedTime: raw.last_updated_timestamp ?? null,
    description: raw.description ?? '',
    source: raw.source ?? '',
    runId: raw.run_id || null,
    status: raw.status ?? 'READY',
    tags: toRecord(raw.tags),
  };
}

function toRegisteredModel(raw: WireRegisteredModel): RegisteredModel {
  return {
    name: raw.name,
    description: raw.description ?? '',
    creationTime: raw.creation_timestamp ?? null,
    lastUpdatedTime: raw.last_updated_timestamp ?? null,
    aliases: raw.aliases,
    latestVersions: raw.latest_versions.map(toModelVersion),
    tags: toRecord(raw.tags),
  };
}

// ── errors ──────────────────────────────────────────────────────────────────────────────────────

/**
 * A failed call. `code` is MLflow's (`INVALID_PARAMETER_VALUE`, `RESOURCE_DOES_NOT_EXIST`…), the
 * runner's (`SERVICE_UNAVAILABLE`, `SANDBOX_NOT_READY`…) or, when nothing usable came back,
 * `NETWORK_ERROR` or `BAD_RESPONSE`; `status` is the HTTP status (0 when no response arrived).
 */
export class TrackingError extends Error {
  override name = 'TrackingError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  /** The tracking service is not there (not started yet, or stopped): worth a retry later. */
  get isUnavailable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

const runnerErrorBody = z.object({ error: z.string(), message: z.string() });

/** The TrackingError for a reply that is not 2xx, from MLflow's or the runner's error body. */
export function errorFromReply(status: number, statusText: string, payload: unknown): TrackingError {
  const mlflow = errorBodySchema.safeParse(payload);
  if (mlflow.success) return new TrackingError(mlflow.data.error_code, mlflow.data.message, status);
  const runner = runnerErrorBody.safeParse(payload);
  if (runner.success) return new TrackingError(runner.data.error, runner.data.message, status);
  const what = `${status} ${statusText}`.trim();
  if (status === 502 || status === 503 || status === 504) {
    return new TrackingError(
      'SERVICE_UNAVAILABLE',
      `The tracking service is not answering (${what}); it may still be starting.`,
      status,
    );
  }
  return new TrackingError('BAD_RESPONSE', `The tracking service answered ${what}.`, status);
}

// ── paths ───────────────────────────────────────────────────────────────────────────────────────

/** A metric, param or tag key in a filter or order_by: quoted with backticks unless plain. */
export function quoteKey(key: string): string | null {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return key;
  return key.includes('`') ? null : `\`${key}\``;
}

/** A string value in a filter: single-quoted, or double-quoted when it holds a single quote. */
export function quoteValue(value: string): string {
  return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/g, '')}'`;
}

/** `mlflow-artifacts:/1/abc/artifacts` + `plots/a b.png` → the proxy path under the service. */
export function artifactDownloadPath(artifactUri: string | null, path: string): string | null {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(artifactUri ?? '');
  if (!match) return null;
  const root = (match[1] ?? '').replace(/^\/+|\/+$/g, '');
  const segments = [...root.split('/'), ...path.split('/')].filter((s) => s !== '');
  return `${artifactProxyPrefixes[0]}/${segments.map(encodeURIComponent).join('/')}`;
}

// ── the client ──────────────────────────────────────────────────────────────────────────────────

/** Requests the service does not answer within this time fail, so nothing waits forever. */
const requestTimeoutMs = 30_000;
/** How many pages a "give me everything" call follows before it stops. */
const maxPages = 20;

type Fetch = typeof fetch;

export type SearchRunsOptions = {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
};

export type ArtifactContent = {
  bytes: Uint8Array;
  /** The file is bigger than the bytes read (the read stopped at the cap). */
  isTruncated: boolean;
  contentType: string;
};

export class TrackingClient {
  constructor(
    private readonly access: SessionAccess,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  /** The service's base path on this origin. */
  get basePath(): string {
    const session = encodeURIComponent(this.access.sessionId);
    return `${this.access.runnerBase}/v1/sessions/${session}/services/${labkitServices.tracking.port}`;
  }

  /** Every experiment, active ones only unless asked otherwise. */
  async experiments(viewType: 'ACTIVE_ONLY' | 'ALL' = 'ACTIVE_ONLY'): Promise<Experiment[]> {
    const { items } = await followPageTokens(
      'experiments',
      (pageToken) =>
        this.call(trackingEndpoints.searchExperiments, {
          max_results: 1000,
          view_type: viewType,
          page_token: pageToken,
        }),
      { maxPages },
    );
    return items.map(toExperiment);
  }

  async searchRuns(options: SearchRunsOptions): Promise<RunsPage> {
    const reply = await this.call(trackingEndpoints.searchRuns, {
      experiment_ids: options.experimentIds,
      filter: options.filter ?? '',
      run_view_type: 'ACTIVE_ONLY',
      max_results: options.maxResults ?? 1000,
      order_by: options.orderBy ?? [],
      page_token: options.pageToken || undefined,
    });
    return { runs: reply.runs.map(toRun), nextPageToken: reply.next_page_token || null };
  }

  async run(runId: string): Promise<Run> {
    return toRun((await this.call(trackingEndpoints.getRun, { run_id: runId })).run);
  }

  /** Every value a metric was logged with, in the order logged. */
  async metricHistory(runId: string, key: string): Promise<Metric[]> {
    const { items } = await followPageTokens(
      'metrics',
      (pageToken) =>
        this.call(trackingEndpoints.getMetricHistory, {
          run_id: runId,
          metric_key: key,
          page_token: pageToken,
        }),
      { maxPages },
    );
    return items.map(toMetric);
  }

  /** The files and folders in one folder of a run's artifacts (`path` relative to the run's root). */
  async artifacts(runId: string, path = ''): Promise<ArtifactFile[]> {
    const reply = await this.call(trackingEndpoints.listArtifacts, {
      run_id: runId,
      path: path || undefined,
    });
    return reply.files.map((file) => ({ path: file.path, isDir: file.is_dir, size: file.file_size ?? null }));
  }

  /** A run's artifact file, reading at most `maxBytes` of it. */
  async artifact(run: Pick<Run, 'artifactUri'>, path: string, maxBytes: number): Promise<ArtifactContent> {
    const proxyPath = artifactDownloadPath(run.artifactUri, path);
    if (!proxyPath) {
      throw new TrackingError(
        'NOT_IMPLEMENTED',
        'This run keeps its artifacts somewhere the tracking service does not serve.',
        400,
      );
    }
    const response = await this.fetchWithToken('GET', `${this.basePath}${proxyPath}`);
    if (!response.ok) throw errorFromReply(response.status, response.statusText, await payloadOf(response));
    const { bytes, isTruncated } = await readAtMost(response, maxBytes);
    return { bytes, isTruncated, contentType: response.headers.get('content-type') ?? '' };
  }

  async registeredModels(): Promise<RegisteredModel[]> {
    const { items } = await followPageTokens(
      'registered_models',
      (pageToken) =>
        this.call(registryEndpoints.searchRegisteredModels, {
          max_results: 1000,
          order_by: ['name ASC'],
          page_token: pageToken,
        }),
      { maxPages },
    );
    return items.map(toRegisteredModel);
  }

  /** A registered model's versions, newest first. */
  async modelVersions(name: string): Promise<ModelVersion[]> {
    const { items } = await followPageTokens(
      'model_versions',
      (pageToken) =>
        this.call(registryEndpoints.searchModelVersions, {
          filter: `name = ${quoteValue(name)}`,
          max_results: 1000,
          page_token: pageToken,
        }),
      { maxPages },
    );
    return items
      .filter((version) => version.name === name)
      .map(toModelVersion)
      .sort((a, b) => Number(b.version) - Number(a.version));
  }

  /** Calls one endpoint with the method MLflow's client uses and decodes the reply with its schema. */
  private async call<E extends Endpoint>(endpoint: E, fields: RequestFields<E>): Promise<ParsedResponse<E>> {
    const [method] = endpoint.methods;
    const url = `${this.basePath}${apiPrefixes[0]}/${endpoint.path}`;
    const response =
      method === 'GET'
        ? await this.fetchWithToken(method, `${url}?${queryOf(fields as Record<string, unknown>)}`)
        : await this.fetchWithToken(method, url, fields);
    const payload = await payloadOf(response);
    if (!response.ok) throw errorFromReply(response.status, response.statusText, payload);
    const parsed = (endpoint.response as E['response']).safeParse(payload);
    if (!parsed.success) {
      throw new TrackingError(
        'BAD_RESPONSE',
        'The tracking service sent a reply this page does not understand.',
        response.status,
      );
    }
    return parsed.data;
  }

  private fetchWithToken(method: string, url: string, body?: unknown): Promise<Response> {
    return fetchWithToken(this.access, method, url, body, {
      fetchImpl: this.fetchImpl,
      timeoutMs: requestTimeoutMs,
      unreachable: (isTimeout) =>
        new TrackingError(
          'NETWORK_ERROR',
          isTimeout
            ? 'The tracking service did not answer in time; try again in a moment.'
            : 'Could not reach the tracking service; check your connection and try again.',
          0,
        ),
    });
  }
}

/** A reply's JSON, or `undefined` when it has none that parses. */
async function payloadOf(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return parseJson(text);
  } catch {
    return undefined;
  }
}

/** Reads a response body up to `maxBytes`, then stops (the rest is never downloaded). */
export async function readAtMost(
  response: Response,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; isTruncated: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(), isTruncated: false };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let isTruncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - total;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      total += room;
      isTruncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    total += value.byteLength;
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, isTruncated };
}

/**
 * The browser's client for a sandbox's tracking service (labkit, MLflow REST API 2.0), reached
 * through the runner's service proxy on the web app's own origin:
 * `/runner/v1/sessions/<id>/services/5000/api/2.0/mlflow/…` with the session's `X-Academy-Token`.
 *
 * Replies are decoded with zod as MLflow writes them: empty lists may be left out, int64 fields
 * may come as numbers or decimal strings, and metric values may be "NaN", "Infinity" or
 * "-Infinity". Every failure becomes a `TrackingError` whose message is the server's sentence.
 */
import { z } from 'zod';
import { labkitServices } from '@/lab-runner/api/labkit-services';
import { fetchWithToken, type SessionAccess } from '../../session-access';

// ── decoding ────────────────────────────────────────────────────────────────────────────────────

/** An int64 as MLflow sends it: a JSON number or a decimal string. */
const int64 = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

/** A double as MLflow sends it: a number, or "NaN" / "Infinity" / "-Infinity". */
export const metricValue = z.union([
  z.number(),
  z
    .enum(['NaN', 'Infinity', '-Infinity', 'nan', 'inf', '-inf'])
    .transform((text) =>
      text.toLowerCase() === 'nan' ? Number.NaN : text.startsWith('-') ? -Infinity : Infinity,
    ),
]);

const tagSchema = z.object({ key: z.string(), value: z.string().default('') });
const tags = z.array(tagSchema).default([]);

const experimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  lifecycle_stage: z.string().default('active'),
  creation_time: int64.optional(),
  last_update_time: int64.optional(),
  tags,
});

const metricSchema = z.object({
  key: z.string(),
  value: metricValue,
  timestamp: int64.default(0),
  step: int64.default(0),
});

const runStatuses = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof runStatuses)[number];

const runSchema = z.object({
  info: z.object({
    run_id: z.string().optional(),
    run_uuid: z.string().optional(),
    run_name: z.string().optional(),
    experiment_id: z.string(),
    user_id: z.string().optional(),
    status: z.enum(runStatuses).catch('RUNNING'),
    start_time: int64.optional(),
    end_time: int64.optional().nullable(),
    artifact_uri: z.string().optional(),
    lifecycle_stage: z.string().default('active'),
  }),
  data: z
    .object({
      metrics: z.array(metricSchema).default([]),
      params: tags,
      tags,
    })
    .default({ metrics: [], params: [], tags: [] }),
});

const stages = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof stages)[number];

const modelVersionSchema = z.object({
  name: z.string(),
  version: z.union([z.string(), z.number().transform(String)]),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  current_stage: z
    .string()
    .default('None')
    .transform((stage): ModelStage => stages.find((s) => s.toLowerCase() === stage.toLowerCase()) ?? 'None'),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  tags,
  aliases: z.array(z.string()).default([]),
});

const registeredModelSchema = z.object({
  name: z.string(),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  description: z.string().optional(),
  tags,
  aliases: z.array(z.object({ alias: z.string(), version: z.string() })).default([]),
  latest_versions: z.array(modelVersionSchema).default([]),
});

const artifactFileSchema = z.object({
  path: z.string(),
  is_dir: z.boolean().default(false),
  file_size: int64.optional(),
});

const pageToken = z.string().optional();

const replies = {
  experiments: z.object({ experiments: z.array(experimentSchema).default([]), next_page_token: pageToken }),
  runs: z.object({ runs: z.array(runSchema).default([]), next_page_token: pageToken }),
  run: z.object({ run: runSchema }),
  history: z.object({ metrics: z.array(metricSchema).default([]), next_page_token: pageToken }),
  artifacts: z.object({ root_uri: z.string().optional(), files: z.array(artifactFileSchema).default([]) }),
  models: z.object({
    registered_models: z.array(registeredModelSchema).default([]),
    next_page_token: pageToken,
  }),
  versions: z.object({ model_versions: z.array(modelVersionSchema).default([]), next_page_token: pageToken }),
};

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

function toExperiment(raw: z.infer<typeof experimentSchema>): Experiment {
  return {
    id: raw.experiment_id,
    name: raw.name,
    isActive: raw.lifecycle_stage === 'active',
    creationTime: raw.creation_time ?? null,
    lastUpdateTime: raw.last_update_time ?? null,
  };
}

function toMetric(raw: z.infer<typeof metricSchema>): Metric {
  return { key: raw.key, value: raw.value, timestamp: raw.timestamp, step: raw.step };
}

export function toRun(raw: z.infer<typeof runSchema>): Run {
  const id = raw.info.run_id ?? raw.info.run_uuid ?? '';
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

function toModelVersion(raw: z.infer<typeof modelVersionSchema>): ModelVersion {
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

function toRegisteredModel(raw: z.infer<typeof registeredModelSchema>): RegisteredModel {
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

const mlflowErrorBody = z.object({ error_code: z.string(), message: z.string() });
const runnerErrorBody = z.object({ error: z.string(), message: z.string() });

/** The TrackingError for a reply that is not 2xx, from MLflow's or the runner's error body. */
export function errorFromReply(status: number, statusText: string, payload: unknown): TrackingError {
  const mlflow = mlflowErrorBody.safeParse(payload);
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

/**
 * Parses a JSON reply, accepting the bare `NaN`, `Infinity` and `-Infinity` some servers (Python's
 * json module) write for doubles: they are quoted, as MLflow's protobuf JSON writes them.
 */
export function parseJsonReply(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    const quoted = text.replace(/([:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, '$1"$2"');
    if (quoted === text) throw error;
    return JSON.parse(quoted);
  }
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
  return `/api/2.0/mlflow-artifacts/artifacts/${segments.map(encodeURIComponent).join('/')}`;
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
    const all: Experiment[] = [];
    let token: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const reply = await this.call('POST', 'experiments/search', replies.experiments, {
        max_results: 1000,
        view_type: viewType,
        ...(token ? { page_token: token } : {}),
      });
      all.push(...reply.experiments.map(toExperiment));
      token = reply.next_page_token || undefined;
      if (!token) break;
    }
    return all;
  }

  async searchRuns(options: SearchRunsOptions): Promise<RunsPage> {
    const reply = await this.call('POST', 'runs/search', replies.runs, {
      experiment_ids: options.experimentIds,
      filter: options.filter ?? '',
      run_view_type: 'ACTIVE_ONLY',
      max_results: options.maxResults ?? 1000,
      order_by: options.orderBy ?? [],
      ...(options.pageToken ? { page_token: options.pageToken } : {}),
    });
    return { runs: reply.runs.map(toRun), nextPageToken: reply.next_page_token || null };
  }

  async run(runId: string): Promise<Run> {
    const reply = await this.call('GET', `runs/get?${new URLSearchParams({ run_id: runId })}`, replies.run);
    return toRun(reply.run);
  }

  /** Every value a metric was logged with, in the order logged. */
  async metricHistory(runId: string, key: string): Promise<Metric[]> {
    const all: Metric[] = [];
    let token: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const query = new URLSearchParams({ run_id: runId, metric_key: key });
      if (token) query.set('page_token', token);
      const reply = await this.call('GET', `metrics/get-history?${query}`, replies.history);
      all.push(...reply.metrics.map(toMetric));
      token = reply.next_page_token || undefined;
      if (!token) break;
    }
    return all;
  }

  /** The files and folders in one folder of a run's artifacts (`path` relative to the run's root). */
  async artifacts(runId: string, path = ''): Promise<ArtifactFile[]> {
    const query = new URLSearchParams({ run_id: runId });
    if (path) query.set('path', path);
    const reply = await this.call('GET', `artifacts/list?${query}`, replies.artifacts);
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
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let payload: unknown;
      try {
        payload = parseJsonReply(text);
      } catch {
        payload = undefined;
      }
      throw errorFromReply(response.status, response.statusText, payload);
    }
    const { bytes, isTruncated } = await readAtMost(response, maxBytes);
    return { bytes, isTruncated, contentType: response.headers.get('content-type') ?? '' };
  }

  async registeredModels(): Promise<RegisteredModel[]> {
    const all: RegisteredModel[] = [];
    let token: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const query = new URLSearchParams({ max_results: '1000' });
      query.append('order_by', 'name ASC');
      if (token) query.set('page_token', token);
      const reply = await this.call('GET', `registered-models/search?${query}`, replies.models);
      all.push(...reply.registered_models.map(toRegisteredModel));
      token = reply.next_page_token || undefined;
      if (!token) break;
    }
    return all;
  }

  /** A registered model's versions, newest first. */
  async modelVersions(name: string): Promise<ModelVersion[]> {
    const all: ModelVersion[] = [];
    let token: string | undefined;
    const filter = `name = ${quoteValue(name)}`;
    for (let page = 0; page < maxPages; page++) {
      const query = new URLSearchParams({ filter, max_results: '1000' });
      if (token) query.set('page_token', token);
      const reply = await this.call('GET', `model-versions/search?${query}`, replies.versions);
      all.push(...reply.model_versions.map(toModelVersion));
      token = reply.next_page_token || undefined;
      if (!token) break;
    }
    return all
      .filter((version) => version.name === name)
      .sort((a, b) => Number(b.version) - Number(a.version));
  }

  private async call<T>(
    method: 'GET' | 'POST',
    endpoint: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<T> {
    const response = await this.fetchWithToken(method, `${this.basePath}/api/2.0/mlflow/${endpoint}`, body);
    const text = await response.text().catch(() => '');
    let payload: unknown;
    try {
      payload = parseJsonReply(text);
    } catch {
      payload = undefined;
    }
    if (!response.ok) throw errorFromReply(response.status, response.statusText, payload);
    const parsed = schema.safeParse(payload);
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

/**
 * A small typed client for the tracking server's REST API (MLflow 2.0, protocols.md §1), for the
 * `labkit runs` and `labkit models` commands. It talks to `MLFLOW_TRACKING_URI` (in sandboxes
 * `http://127.0.0.1:5000`, which is also the default) with Node's own `fetch`.
 */
import { UsageError, type Env } from './io';

export const defaultTrackingUri = 'http://127.0.0.1:5000';
const requestTimeoutMs = 30_000;

// ── what the server answers (the fields the commands read) ──────────────────────────────────────

export type KeyValue = { key: string; value: string };

export type ExperimentJson = {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage: string;
  creation_time?: number;
  last_update_time?: number;
  tags?: KeyValue[];
};

/** Non-finite values travel as "NaN", "Infinity", "-Infinity". */
export type MetricJson = { key: string; value: number | string; timestamp: number; step: number };

export type RunJson = {
  info: {
    run_id: string;
    run_name?: string;
    experiment_id: string;
    user_id?: string;
    status: string;
    start_time?: number;
    end_time?: number;
    artifact_uri?: string;
    lifecycle_stage: string;
  };
  data: { metrics?: MetricJson[]; params?: KeyValue[]; tags?: KeyValue[] };
};

export type FileInfoJson = { path: string; is_dir: boolean; file_size?: number };

export type ModelVersionJson = {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  tags?: KeyValue[];
  aliases?: string[];
};

export type RegisteredModelJson = {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  tags?: KeyValue[];
  aliases?: { alias: string; version: string }[];
  latest_versions?: ModelVersionJson[];
};

export function metricValue(metric: MetricJson): number {
  if (typeof metric.value === 'number') return metric.value;
  if (metric.value === 'Infinity') return Infinity;
  if (metric.value === '-Infinity') return -Infinity;
  return metric.value === 'NaN' ? NaN : Number(metric.value);
}

// ── errors ──────────────────────────────────────────────────────────────────────────────────────

/** The server did not answer at all (not running, wrong address, timed out). */
export class TrackingUnavailableError extends Error {
  override name = 'TrackingUnavailableError';
  constructor(
    readonly uri: string,
    detail: string,
  ) {
    super(
      `The tracking server at ${uri} is not answering (${detail}). Start it with \`labkit services up tracking\`.`,
    );
  }
}

/** The server answered with an error: MLflow's `{error_code, message}`, or something else. */
export class TrackingApiError extends Error {
  override name = 'TrackingApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  get isNotFound(): boolean {
    return this.code === 'RESOURCE_DOES_NOT_EXIST' || this.status === 404;
  }
  get isInvalidRequest(): boolean {
    return this.code === 'INVALID_PARAMETER_VALUE';
  }
}

/** The tracking server's base URL from `MLFLOW_TRACKING_URI`; refuses what is not http(s). */
export function trackingUri(env: Env): string {
  const configured = env.MLFLOW_TRACKING_URI?.trim() || defaultTrackingUri;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    url = new URL('unsupported:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `MLFLOW_TRACKING_URI is "${configured}", but labkit talks to a tracking server over HTTP. ` +
        `Set it to ${defaultTrackingUri} (export MLFLOW_TRACKING_URI=${defaultTrackingUri}) or unset it.`,
    );
  }
  return configured.replace(/\/+$/, '');
}

function describeNetworkError(error: unknown): string {
  if ((error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError') {
    return `no answer within ${requestTimeoutMs / 1000} s`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'unknown host';
  if (cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET') return 'connection closed';
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

type Fields = Record<string, string | number | boolean | string[] | undefined>;

export class TrackingClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  static fromEnv(env: Env): TrackingClient {
    return new TrackingClient(trackingUri(env));
  }

  /** Calls `/api/2.0/mlflow/<endpoint>`: GET and DELETE fields in the query string, others as JSON. */
  async call<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    endpoint: string,
    fields: Fields = {},
  ): Promise<T> {
    const url = new URL(`${this.baseUrl}/api/2.0/mlflow/${endpoint}`);
    const init: RequestInit = { method, signal: AbortSignal.timeout(requestTimeoutMs) };
    if (method === 'GET' || method === 'DELETE') {
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
      }
    } else {
      init.body = JSON.stringify(fields);
      init.headers = { 'content-type': 'application/json' };
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, init);
      text = await response.text();
    } catch (error) {
      throw new TrackingUnavailableError(this.baseUrl, describeNetworkError(error));
    }
    let body: unknown;
    try {
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw new TrackingApiError(
        response.status,
        'NOT_JSON',
        `${this.baseUrl} answered ${method} ${url.pathname} with ${response.status} and a body that is not ` +
          `JSON. Is MLFLOW_TRACKING_URI pointing at a tracking server?`,
      );
    }
    if (!response.ok) {
      const error = body as { error_code?: string; message?: string };
      throw new TrackingApiError(
        response.status,
        error.error_code ?? `HTTP_${response.status}`,
        error.message ?? `${method} ${url.pathname} failed with HTTP ${response.status}.`,
      );
    }
    return body as T;
  }

  // ── experiments ─────────────────────────────────────────────────────────────────────────────

  async searchExperiments(viewType: 'ACTIVE_ONLY' | 'ALL' = 'ACTIVE_ONLY'): Promise<ExperimentJson[]> {
    const experiments: ExperimentJson[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call<{ experiments?: ExperimentJson[]; next_page_token?: string }>(
        'POST',
        'experiments/search',
        { view_type: viewType, max_results: 1000, page_token: pageToken },
      );
      experiments.push(...(page.experiments ?? []));
      pageToken = page.next_page_token;
    } while (pageToken);
    return experiments;
  }

  async getExperiment(experimentId: string): Promise<ExperimentJson> {
    return (
      await this.call<{ experiment: ExperimentJson }>('GET', 'experiments/get', {
        experiment_id: experimentId,
      })
    ).experiment;
  }

  async getExperimentByName(name: string): Promise<ExperimentJson> {
    return (
      await this.call<{ experiment: ExperimentJson }>('GET', 'experiments/get-by-name', {
        experiment_name: name,
      })
    ).experiment;
  }

  // ── runs ────────────────────────────────────────────────────────────────────────────────────

  /** Runs in search order, following page tokens until `max` runs; `more` when some were left. */
  async searchRuns(search: {
    experimentIds: string[];
    filter?: string;
    orderBy?: string[];
    viewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
    max: number;
  }): Promise<{ runs: RunJson[]; more: boolean }> {
    const runs: RunJson[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call<{ runs?: RunJson[]; next_page_token?: string }>('POST', 'runs/search', {
        experiment_ids: search.experimentIds,
        filter: search.filter,
        order_by: search.orderBy,
        run_view_type: search.viewType ?? 'ACTIVE_ONLY',
        max_results: Math.min(1000, search.max - runs.length),
        page_token: pageToken,
      } as Fields);
      runs.push(...(page.runs ?? []));
      pageToken = page.next_page_token;
    } while (pageToken && runs.length < search.max);
    return { runs, more: Boolean(pageToken) };
  }

  async getRun(runId: string): Promise<RunJson> {
    return (await this.call<{ run: RunJson }>('GET', 'runs/get', { run_id: runId })).run;
  }

  async metricHistory(runId: string, key: string): Promise<MetricJson[]> {
    const metrics: MetricJson[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call<{ metrics?: MetricJson[]; next_page_token?: string }>(
        'GET',
        'metrics/get-history',
        { run_id: runId, metric_key: key, page_token: pageToken },
      );
      metrics.push(...(page.metrics ?? []));
      pageToken = page.next_page_token;
    } while (pageToken);
    return metrics;
  }

  /** One folder of a run's artifacts (paths relative to the run's root), all pages. */
  async listArtifacts(runId: string, path?: string): Promise<FileInfoJson[]> {
    const files: FileInfoJson[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call<{ files?: FileInfoJson[]; next_page_token?: string }>(
        'GET',
        'artifacts/list',
        { run_id: runId, path, page_token: pageToken },
      );
      files.push(...(page.files ?? []));
      pageToken = page.next_page_token;
    } while (pageToken);
    return files;
  }

  // ── model registry ──────────────────────────────────────────────────────────────────────────

  async searchRegisteredModels(): Promise<RegisteredModelJson[]> {
    const models: RegisteredModelJson[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call<{ registered_models?: RegisteredModelJson[]; next_page_token?: string }>(
        'GET',
        'registered-models/search',
        { max_results: 1000, page_token: pageToken },
      );
      models.push(...(page.registered_models ?? []));
      pageToken = page.next_page_token;
    } while (pageToken);
    return models;
  }

  async getRegisteredModel(name: string): Promise<RegisteredModelJson> {
    return (
      await this.call<{ registered_model: RegisteredModelJson }>('GET', 'registered-models/get', { name })
    ).registered_model;
  }

  /** Every version of one model. */
  async modelVersions(name: string): Promise<ModelVersionJson[]> {
    const quote = name.includes("'") ? '"' : "'";
    const versions: ModelVersionJson[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call<{ model_versions?: ModelVersionJson[]; next_page_token?: string }>(
        'GET',
        'model-versions/search',
        { filter: `name=${quote}${name}${quote}`, max_results: 1000, page_token: pageToken },
      );
      versions.push(...(page.model_versions ?? []));
      pageToken = page.next_page_token;
    } while (pageToken);
    return versions.filter((version) => version.name === name);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersionJson> {
    return (
      await this.call<{ model_version: ModelVersionJson }>('GET', 'model-versions/get', { name, version })
    ).model_version;
  }

  async transitionStage(
    name: string,
    version: string,
    stage: string,
    archiveExisting: boolean,
  ): Promise<ModelVersionJson> {
    return (
      await this.call<{ model_version: ModelVersionJson }>('POST', 'model-versions/transition-stage', {
        name,
        version,
        stage,
        archive_existing_versions: archiveExisting,
      })
    ).model_version;
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call('POST', 'registered-models/alias', { name, alias, version });
  }
}

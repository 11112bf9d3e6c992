/**
 * The tracking server's REST API (MLflow 2.0) for the `labkit runs` and `labkit models` commands.
 * It talks to `MLFLOW_TRACKING_URI` (in sandboxes `http://127.0.0.1:5000`, which is also the
 * default) with Node's own `fetch`. Requests and replies are the wire module's: every reply is
 * checked, so a server answering something else fails here with a sentence, not later inside a
 * table.
 */
import {
  apiPrefixes,
  errorBodySchema,
  followPageTokens,
  parseJson,
  queryOf,
  registryEndpoints,
  trackingEndpoints,
  type Endpoint,
  type Experiment,
  type FileInfo,
  type Metric,
  type ModelVersion,
  type ParsedResponse,
  type RegisteredModel,
  type RequestFields,
  type Run,
  type ViewType,
} from '../tracking/wire';
import { UsageError, type Env } from './io';

export const defaultTrackingUri = 'http://127.0.0.1:5000';
const requestTimeoutMs = 30_000;
/** Items asked for per page when following page tokens. */
const pageSize = 1000;

// ── errors ──────────────────────────────────────────────────────────────────────────────────────

/** The server did not answer at all (not running, wrong address, timed out). */
export class TrackingUnavailableError extends Error {
  override name = 'TrackingUnavailableError';
  constructor(
    readonly uri: string,
    detail: string,
  ) {
    super(
      `The tracking server at ${uri} is not answering (${detail}). In a lab sandbox the platform runs it: ` +
        'try again in a few seconds, and if it stays down, stop the lab and resume it. Elsewhere, start one ' +
        'with `labkit services up tracking`.',
    );
  }
}

/** The server answered with an error (MLflow's `{error_code, message}`), or with something unusable. */
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

// ── the client ──────────────────────────────────────────────────────────────────────────────────

export class TrackingClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  static fromEnv(env: Env): TrackingClient {
    return new TrackingClient(trackingUri(env));
  }

  /** Calls one endpoint with the method MLflow's client uses, and checks the reply against its schema. */
  async call<E extends Endpoint>(endpoint: E, fields: RequestFields<E>): Promise<ParsedResponse<E>> {
    const [method] = endpoint.methods;
    const url = new URL(`${this.baseUrl}${apiPrefixes[0]}/${endpoint.path}`);
    const init: RequestInit = { method, signal: AbortSignal.timeout(requestTimeoutMs) };
    if (method === 'GET' || method === 'DELETE') {
      url.search = queryOf(fields as Record<string, unknown>).toString();
    } else {
      init.body = JSON.stringify(fields);
      init.headers = { 'content-type': 'application/json' };
    }
    const what = `${method} ${url.pathname}`;
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
      body = parseJson(text);
    } catch {
      throw new TrackingApiError(
        response.status,
        'NOT_JSON',
        `${this.baseUrl} answered ${what} with ${response.status} and a body that is not JSON. ` +
          `Is MLFLOW_TRACKING_URI pointing at a tracking server?`,
      );
    }
    if (!response.ok) {
      const error = errorBodySchema.safeParse(body);
      throw error.success
        ? new TrackingApiError(response.status, error.data.error_code, error.data.message)
        : new TrackingApiError(
            response.status,
            `HTTP_${response.status}`,
            `${what} failed with HTTP ${response.status}.`,
          );
    }
    const reply = (endpoint.response as E['response']).safeParse(body);
    if (!reply.success) {
      const issue = reply.error.issues[0];
      const field = issue?.path.map(String).join('.') || 'the body';
      throw new TrackingApiError(
        response.status,
        'BAD_RESPONSE',
        `${this.baseUrl} answered ${what} with a reply labkit cannot read (${field}: ${issue?.message ?? 'invalid'}). ` +
          `Is MLFLOW_TRACKING_URI pointing at an MLflow tracking server?`,
      );
    }
    return reply.data;
  }

  // ── experiments ─────────────────────────────────────────────────────────────────────────────

  async searchExperiments(viewType: ViewType = 'ACTIVE_ONLY'): Promise<Experiment[]> {
    const { items } = await followPageTokens('experiments', (pageToken) =>
      this.call(trackingEndpoints.searchExperiments, {
        view_type: viewType,
        max_results: pageSize,
        page_token: pageToken,
      }),
    );
    return items;
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return (await this.call(trackingEndpoints.getExperiment, { experiment_id: experimentId })).experiment;
  }

  async getExperimentByName(name: string): Promise<Experiment> {
    return (await this.call(trackingEndpoints.getExperimentByName, { experiment_name: name })).experiment;
  }

  // ── runs ────────────────────────────────────────────────────────────────────────────────────

  /** Runs in search order, following page tokens until `max` runs; `more` when some were left. */
  async searchRuns(search: {
    experimentIds: string[];
    filter?: string;
    orderBy?: string[];
    viewType?: ViewType;
    max: number;
  }): Promise<{ runs: Run[]; more: boolean }> {
    const { items, more } = await followPageTokens(
      'runs',
      (pageToken, collected) =>
        this.call(trackingEndpoints.searchRuns, {
          experiment_ids: search.experimentIds,
          filter: search.filter,
          order_by: search.orderBy,
          run_view_type: search.viewType ?? 'ACTIVE_ONLY',
          max_results: Math.min(pageSize, search.max - collected),
          page_token: pageToken,
        }),
      { maxItems: search.max },
    );
    return { runs: items, more };
  }

  async getRun(runId: string): Promise<Run> {
    return (await this.call(trackingEndpoints.getRun, { run_id: runId })).run;
  }

  async metricHistory(runId: string, key: string): Promise<Metric[]> {
    const { items } = await followPageTokens('metrics', (pageToken) =>
      this.call(trackingEndpoints.getMetricHistory, {
        run_id: runId,
        metric_key: key,
        page_token: pageToken,
      }),
    );
    return items;
  }

  /** One folder of a run's artifacts (paths relative to the run's root), all pages. */
  async listArtifacts(runId: string, path?: string): Promise<FileInfo[]> {
    const { items } = await followPageTokens('files', (pageToken) =>
      this.call(trackingEndpoints.listArtifacts, { run_id: runId, path, page_token: pageToken }),
    );
    return items;
  }

  // ── model registry ──────────────────────────────────────────────────────────────────────────

  async searchRegisteredModels(): Promise<RegisteredModel[]> {
    const { items } = await followPageTokens('registered_models', (pageToken) =>
      this.call(registryEndpoints.searchRegisteredModels, { max_results: pageSize, page_token: pageToken }),
    );
    return items;
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return (await this.call(registryEndpoints.getRegisteredModel, { name })).registered_model;
  }

  /** Every version of one model. */
  async modelVersions(name: string): Promise<ModelVersion[]> {
    const quote = name.includes("'") ? '"' : "'";
    const { items } = await followPageTokens('model_versions', (pageToken) =>
      this.call(registryEndpoints.searchModelVersions, {
        filter: `name=${quote}${name}${quote}`,
        max_results: pageSize,
        page_token: pageToken,
      }),
    );
    return items.filter((version) => version.name === name);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return (await this.call(registryEndpoints.getModelVersion, { name, version })).model_version;
  }

  async transitionStage(
    name: string,
    version: string,
    stage: string,
    archiveExisting: boolean,
  ): Promise<ModelVersion> {
    const reply = await this.call(registryEndpoints.transitionStage, {
      name,
      version,
      stage,
      archive_existing_versions: archiveExisting,
    });
    return reply.model_version;
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call(registryEndpoints.setAlias, { name, alias, version });
  }
}

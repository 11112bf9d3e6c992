/**
 * The tracking server: MLflow's REST API 2.0 for experiments and runs (protocols.md §1), so the
 * official `mlflow` 2.x Python client works against it unchanged. Every route is served under
 * `/api/2.0/mlflow` and `/ajax-api/2.0/mlflow`; GET fields come from the query string (lists as
 * repeated keys), other methods read a JSON body. Failures leave as `{"error_code","message"}`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ArtifactStore, proxyPathOfUri, safeRelativePath } from './artifacts';
import { MlflowError, invalidParameter } from './errors';
import { ModelRegistry, parseRegistryFilter, type ModelVersion, type RegisteredModel } from './registry';
import {
  decodePageToken,
  encodePageToken,
  paginate,
  searchExperiments,
  searchRuns,
  validateMaxResults,
  viewTypes,
} from './search';
import {
  decodeDouble,
  encodeDouble,
  runStatuses,
  TrackingStore,
  type DatasetInput,
  type Experiment,
  type Metric,
  type Run,
} from './store';

export type TrackingServerOptions = {
  dataDir: string;
  logger?: boolean;
  /** The largest artifact upload accepted (bytes); 100 MB unless set. */
  artifactMaxBytes?: number;
};

/** The MLflow release whose REST surface this server follows; `GET /version` reports it. */
export const mlflowCompatibleVersion = '2.19.0';
export const apiPrefixes = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;
/** Where the `mlflow-artifacts` proxy lives; the client maps `mlflow-artifacts:/X` to `<prefix>/X`. */
export const artifactProxyPrefixes = [
  '/api/2.0/mlflow-artifacts/artifacts',
  '/ajax-api/2.0/mlflow-artifacts/artifacts',
] as const;
const bodyLimitBytes = 16 * 1024 * 1024;
/**
 * The most entries one `artifacts/list` answer carries; beyond it comes a `next_page_token`.
 * (MLflow's own server sends a whole folder; `max_results` is labkit's extension, 1..1000.)
 */
export const artifactListPageSize = 1000;
const logModelHistoryTag = 'mlflow.log-model.history';

// ── request schemas ─────────────────────────────────────────────────────────────────────────────
// Protobuf JSON allows int64 as a number or a decimal string; query strings only have strings.

const requiredString = z.string().min(1);
const int64 = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const double = z.union([z.number(), z.string()]).transform((value) => decodeDouble(value));
const stringList = z.union([z.string().transform((value) => [value]), z.array(z.string())]);
const tagSchema = z.object({ key: requiredString, value: z.string() });
const viewType = z.enum(viewTypes);

const runIdFields = { run_id: z.string().optional(), run_uuid: z.string().optional() };
const schemas = {
  createExperiment: z.object({
    name: requiredString,
    artifact_location: z.string().optional(),
    tags: z.array(tagSchema).optional(),
  }),
  experimentId: z.object({ experiment_id: requiredString }),
  experimentByName: z.object({ experiment_name: requiredString }),
  searchExperiments: z.object({
    max_results: int64.optional(),
    page_token: z.string().optional(),
    filter: z.string().optional(),
    order_by: stringList.optional(),
    view_type: viewType.optional(),
  }),
  updateExperiment: z.object({ experiment_id: requiredString, new_name: requiredString }),
  setExperimentTag: z.object({ experiment_id: requiredString, key: requiredString, value: z.string() }),
  deleteExperimentTag: z.object({ experiment_id: requiredString, key: requiredString }),
  createRun: z.object({
    experiment_id: z.string().optional(),
    run_name: z.string().optional(),
    start_time: int64.optional(),
    user_id: z.string().optional(),
    tags: z.array(tagSchema).optional(),
  }),
  updateRun: z.object({
    ...runIdFields,
    status: z.enum(runStatuses).optional(),
    end_time: int64.optional(),
    run_name: z.string().optional(),
  }),
  runId: z.object(runIdFields),
  logMetric: z.object({
    ...runIdFields,
    key: requiredString,
    value: double,
    timestamp: int64,
    step: int64.optional(),
  }),
  keyValue: z.object({ ...runIdFields, key: requiredString, value: z.string() }),
  deleteTag: z.object({ ...runIdFields, key: requiredString }),
  logBatch: z.object({
    ...runIdFields,
    metrics: z
      .array(z.object({ key: requiredString, value: double, timestamp: int64, step: int64.optional() }))
      .optional(),
    params: z.array(z.object({ key: requiredString, value: z.string() })).optional(),
    tags: z.array(tagSchema).optional(),
  }),
  logModel: z.object({ ...runIdFields, model_json: requiredString }),
  logInputs: z.object({
    ...runIdFields,
    datasets: z
      .array(
        z.object({
          tags: z.array(tagSchema).optional(),
          dataset: z.object({
            name: requiredString,
            digest: requiredString,
            source_type: requiredString,
            source: requiredString,
            schema: z.string().optional(),
            profile: z.string().optional(),
          }),
        }),
      )
      .optional(),
    models: z.array(z.object({ model_id: requiredString })).optional(),
  }),
  searchRuns: z.object({
    experiment_ids: stringList.optional(),
    filter: z.string().optional(),
    run_view_type: viewType.optional(),
    max_results: int64.optional(),
    order_by: stringList.optional(),
    page_token: z.string().optional(),
  }),
  listArtifacts: z.object({
    ...runIdFields,
    path: z.string().optional(),
    page_token: z.string().optional(),
    max_results: int64.optional(),
  }),
  proxyList: z.object({ path: z.string().optional() }),
  createRegisteredModel: z.object({
    name: requiredString,
    tags: z.array(tagSchema).optional(),
    description: z.string().optional(),
  }),
  modelName: z.object({ name: requiredString }),
  renameModel: z.object({ name: requiredString, new_name: requiredString }),
  updateModel: z.object({ name: requiredString, description: z.string().optional() }),
  searchRegistry: z.object({
    filter: z.string().optional(),
    max_results: int64.optional(),
    order_by: stringList.optional(),
    page_token: z.string().optional(),
  }),
  latestVersions: z.object({ name: requiredString, stages: stringList.optional() }),
  modelTag: z.object({ name: requiredString, key: requiredString, value: z.string() }),
  modelTagKey: z.object({ name: requiredString, key: requiredString }),
  setAlias: z.object({ name: requiredString, alias: requiredString, version: requiredString }),
  alias: z.object({ name: requiredString, alias: requiredString }),
  createVersion: z.object({
    name: requiredString,
    source: requiredString,
    run_id: z.string().optional(),
    run_link: z.string().optional(),
    description: z.string().optional(),
    tags: z.array(tagSchema).optional(),
  }),
  version: z.object({ name: requiredString, version: requiredString }),
  updateVersion: z.object({
    name: requiredString,
    version: requiredString,
    description: z.string().optional(),
  }),
  transitionStage: z.object({
    name: requiredString,
    version: requiredString,
    stage: requiredString,
    archive_existing_versions: z
      .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
      .optional(),
  }),
  versionTag: z.object({
    name: requiredString,
    version: requiredString,
    key: requiredString,
    value: z.string(),
  }),
  versionTagKey: z.object({ name: requiredString, version: requiredString, key: requiredString }),
  metricHistory: z.object({
    ...runIdFields,
    metric_key: requiredString,
    max_results: int64.optional(),
    page_token: z.string().optional(),
  }),
};

function fieldName(path: PropertyKey[]): string {
  return path.reduce<string>(
    (name, part) =>
      typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part),
    '',
  );
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** Protobuf JSON reads `null` as "not set", so drop null fields before validating. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== null)
      .map(([key, field]) => [key, withoutNulls(field)]),
  );
}

/** Parses a request's fields, failing the way MLflow's handlers do (INVALID_PARAMETER_VALUE). */
function parse<T>(schema: z.ZodType<T>, fields: unknown): T {
  const input = withoutNulls(fields ?? {});
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const value = valueAt(input, path);
  const name = fieldName(path);
  if (value === undefined || value === null || value === '') {
    throw invalidParameter(`Missing value for required parameter '${name}'`);
  }
  throw invalidParameter(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: ${issue?.message ?? 'invalid'}`,
  );
}

function runIdOf(fields: { run_id?: string; run_uuid?: string }): string {
  const runId = fields.run_id || fields.run_uuid;
  if (!runId) throw invalidParameter(`Missing value for required parameter 'run_id'`);
  return runId;
}

// ── response shapes (snake_case, as MLflow's protobuf JSON) ─────────────────────────────────────

const tagList = (tags: Map<string, string>) => [...tags].map(([key, value]) => ({ key, value }));

function experimentJson(experiment: Experiment) {
  return {
    experiment_id: experiment.experimentId,
    name: experiment.name,
    artifact_location: experiment.artifactLocation,
    lifecycle_stage: experiment.lifecycleStage,
    creation_time: experiment.creationTime,
    last_update_time: experiment.lastUpdateTime,
    tags: tagList(experiment.tags),
  };
}

function metricJson(metric: Metric) {
  return {
    key: metric.key,
    value: encodeDouble(metric.value),
    timestamp: metric.timestamp,
    step: metric.step,
  };
}

function runInfoJson(run: Run) {
  return {
    run_id: run.runId,
    run_uuid: run.runId,
    run_name: run.runName,
    experiment_id: run.experimentId,
    user_id: run.userId,
    status: run.status,
    start_time: run.startTime,
    ...(run.endTime === null ? {} : { end_time: run.endTime }),
    artifact_uri: run.artifactUri,
    lifecycle_stage: run.lifecycleStage,
  };
}

function runJson(run: Run) {
  return {
    info: runInfoJson(run),
    data: {
      metrics: [...run.latestMetrics.values()].map(metricJson),
      params: [...run.params].map(([key, value]) => ({ key, value })),
      tags: tagList(run.tags),
    },
    inputs: {
      dataset_inputs: run.datasetInputs,
      ...(run.modelInputs.length > 0 ? { model_inputs: run.modelInputs } : {}),
    },
  };
}

/** The models recorded in a run's log-model history tag; anything unreadable counts as none. */
function loggedModels(run: Run): unknown[] {
  try {
    const history: unknown = JSON.parse(run.tags.get(logModelHistoryTag) ?? '[]');
    return Array.isArray(history) ? history : [];
  } catch {
    return [];
  }
}

function modelVersionJson(registry: ModelRegistry, version: ModelVersion) {
  return {
    name: version.name,
    version: version.version,
    creation_timestamp: version.creationTimestamp,
    last_updated_timestamp: version.lastUpdatedTimestamp,
    user_id: '',
    current_stage: version.currentStage,
    description: version.description,
    source: version.source,
    run_id: version.runId,
    run_link: version.runLink,
    status: 'READY',
    tags: tagList(version.tags),
    aliases: registry.aliasesOf(version),
  };
}

function registeredModelJson(registry: ModelRegistry, model: RegisteredModel) {
  return {
    name: model.name,
    creation_timestamp: model.creationTimestamp,
    last_updated_timestamp: model.lastUpdatedTimestamp,
    description: model.description,
    tags: tagList(model.tags),
    aliases: [...model.aliases].map(([alias, version]) => ({ alias, version })),
    latest_versions: registry
      .latestVersions(model.name)
      .map((version) => modelVersionJson(registry, version)),
  };
}

/** `order_by` for registered models: `name`, `creation_timestamp` or `last_updated_timestamp`, ASC/DESC. */
function sortRegisteredModels(models: RegisteredModel[], orderBy: string[] = []): RegisteredModel[] {
  const keys = orderBy.map((clause) => {
    const match = /^\s*(name|creation_timestamp|last_updated_timestamp|timestamp)\s*(ASC|DESC)?\s*$/i.exec(
      clause,
    );
    if (!match) throw invalidParameter(`Invalid order_by clause '${clause}'.`);
    const field = (match[1] ?? 'name').toLowerCase();
    return { field, direction: (match[2] ?? 'ASC').toUpperCase() === 'DESC' ? -1 : 1 };
  });
  const valueOf = (model: RegisteredModel, field: string): string | number =>
    field === 'name'
      ? model.name
      : field === 'creation_timestamp'
        ? model.creationTimestamp
        : model.lastUpdatedTimestamp;
  return [...models].sort((a, b) => {
    for (const { field, direction } of [...keys, { field: 'name', direction: 1 }]) {
      const left = valueOf(a, field);
      const right = valueOf(b, field);
      if (left !== right) return (left < right ? -1 : 1) * direction;
    }
    return 0;
  });
}

function withPageToken<T extends object>(body: T, nextPageToken: string | undefined) {
  return nextPageToken ? { ...body, next_page_token: nextPageToken } : body;
}

// ── routes ──────────────────────────────────────────────────────────────────────────────────────

type Handler = (fields: unknown) => object | Promise<object>;
type Route = { methods: ('GET' | 'POST' | 'PATCH' | 'DELETE')[]; path: string; handle: Handler };

function trackingRoutes(store: TrackingStore, artifacts: ArtifactStore): Route[] {
  const route = (methods: Route['methods'], path: string, handle: Handler): Route => ({
    methods,
    path,
    handle,
  });
  return [
    // experiments
    route(['POST'], '/experiments/create', (fields) => {
      const { name, artifact_location, tags } = parse(schemas.createExperiment, fields);
      return { experiment_id: store.createExperiment(name, { artifactLocation: artifact_location, tags }) };
    }),
    route(['GET'], '/experiments/get', (fields) => {
      const { experiment_id } = parse(schemas.experimentId, fields);
      return { experiment: experimentJson(store.getExperiment(experiment_id)) };
    }),
    route(['GET'], '/experiments/get-by-name', (fields) => {
      const { experiment_name } = parse(schemas.experimentByName, fields);
      return { experiment: experimentJson(store.getExperimentByName(experiment_name)) };
    }),
    route(['GET', 'POST'], '/experiments/search', (fields) => {
      const search = parse(schemas.searchExperiments, fields);
      const page = searchExperiments(store.listExperiments(), {
        filter: search.filter,
        viewType: search.view_type,
        maxResults: search.max_results,
        orderBy: search.order_by,
        pageToken: search.page_token,
      });
      return withPageToken({ experiments: page.items.map(experimentJson) }, page.nextPageToken);
    }),
    route(['POST'], '/experiments/delete', (fields) => {
      store.deleteExperiment(parse(schemas.experimentId, fields).experiment_id);
      return {};
    }),
    route(['POST'], '/experiments/restore', (fields) => {
      store.restoreExperiment(parse(schemas.experimentId, fields).experiment_id);
      return {};
    }),
    route(['POST'], '/experiments/update', (fields) => {
      const { experiment_id, new_name } = parse(schemas.updateExperiment, fields);
      store.renameExperiment(experiment_id, new_name);
      return {};
    }),
    route(['POST'], '/experiments/set-experiment-tag', (fields) => {
      const { experiment_id, key, value } = parse(schemas.setExperimentTag, fields);
      store.setExperimentTag(experiment_id, key, value);
      return {};
    }),
    route(['POST'], '/experiments/delete-experiment-tag', (fields) => {
      const { experiment_id, key } = parse(schemas.deleteExperimentTag, fields);
      store.deleteExperimentTag(experiment_id, key);
      return {};
    }),
    // runs
    route(['POST'], '/runs/create', (fields) => {
      const input = parse(schemas.createRun, fields);
      const run = store.createRun({
        experimentId: input.experiment_id,
        runName: input.run_name,
        startTime: input.start_time,
        userId: input.user_id,
        tags: input.tags,
      });
      return { run: runJson(run) };
    }),
    route(['POST'], '/runs/update', (fields) => {
      const input = parse(schemas.updateRun, fields);
      const run = store.updateRun(runIdOf(input), {
        status: input.status,
        endTime: input.end_time,
        runName: input.run_name,
      });
      return { run_info: runInfoJson(run) };
    }),
    route(['POST'], '/runs/delete', (fields) => {
      store.deleteRun(runIdOf(parse(schemas.runId, fields)));
      return {};
    }),
    route(['POST'], '/runs/restore', (fields) => {
      store.restoreRun(runIdOf(parse(schemas.runId, fields)));
      return {};
    }),
    route(['GET'], '/runs/get', (fields) => ({
      run: runJson(store.getRun(runIdOf(parse(schemas.runId, fields)))),
    })),
    route(['POST'], '/runs/log-metric', (fields) => {
      const input = parse(schemas.logMetric, fields);
      store.logMetric(runIdOf(input), {
        key: input.key,
        value: input.value,
        timestamp: input.timestamp,
        step: input.step ?? 0,
      });
      return {};
    }),
    route(['POST'], '/runs/log-parameter', (fields) => {
      const input = parse(schemas.keyValue, fields);
      store.logParam(runIdOf(input), input.key, input.value);
      return {};
    }),
    route(['POST'], '/runs/set-tag', (fields) => {
      const input = parse(schemas.keyValue, fields);
      store.setTag(runIdOf(input), input.key, input.value);
      return {};
    }),
    route(['POST'], '/runs/delete-tag', (fields) => {
      const input = parse(schemas.deleteTag, fields);
      store.deleteTag(runIdOf(input), input.key);
      return {};
    }),
    route(['POST'], '/runs/log-batch', (fields) => {
      const input = parse(schemas.logBatch, fields);
      store.logBatch(runIdOf(input), {
        metrics: input.metrics?.map((metric) => ({ ...metric, step: metric.step ?? 0 })),
        params: input.params,
        tags: input.tags,
      });
      return {};
    }),
    route(['POST'], '/runs/log-model', (fields) => {
      // mlflow 2.x `log_model` records the model's MLmodel descriptor in a JSON-list tag on the run.
      const input = parse(schemas.logModel, fields);
      const runId = runIdOf(input);
      let model: unknown;
      try {
        model = JSON.parse(input.model_json);
      } catch {
        throw invalidParameter(`Invalid value for parameter 'model_json': it is not JSON.`);
      }
      store.setTag(runId, logModelHistoryTag, JSON.stringify([...loggedModels(store.getRun(runId)), model]));
      return {};
    }),
    route(['POST'], '/runs/log-inputs', (fields) => {
      const input = parse(schemas.logInputs, fields);
      const datasets: DatasetInput[] = (input.datasets ?? []).map((d) => ({
        tags: d.tags ?? [],
        dataset: d.dataset,
      }));
      store.logInputs(runIdOf(input), datasets, input.models ?? []);
      return {};
    }),
    route(['POST'], '/runs/search', (fields) => {
      const search = parse(schemas.searchRuns, fields);
      const page = searchRuns(store.listRuns(), {
        experimentIds: search.experiment_ids ?? [],
        filter: search.filter,
        viewType: search.run_view_type,
        maxResults: search.max_results,
        orderBy: search.order_by,
        pageToken: search.page_token,
      });
      return withPageToken({ runs: page.items.map(runJson) }, page.nextPageToken);
    }),
    route(['GET'], '/artifacts/list', async (fields) => {
      // Paths in the answer are relative to the run's artifact root, as MLflow's list_artifacts.
      const input = parse(schemas.listArtifacts, fields);
      const pageSize = input.max_results ?? artifactListPageSize;
      validateMaxResults(pageSize, artifactListPageSize);
      const offset = decodePageToken(input.page_token);
      const run = store.getRun(runIdOf(input));
      const runRoot = proxyPathOfUri(run.artifactUri);
      if (runRoot === undefined) return { root_uri: run.artifactUri, files: [] };
      const folder = safeRelativePath(input.path ?? '');
      const page = await artifacts.listPage(folder ? `${runRoot}/${folder}` : runRoot, offset, pageSize);
      const end = offset + pageSize;
      return withPageToken(
        {
          root_uri: run.artifactUri,
          files: page.files.map((file) => ({ ...file, path: folder ? `${folder}/${file.path}` : file.path })),
        },
        end < page.total ? encodePageToken(end) : undefined,
      );
    }),
    ...registryRoutes(store.registry, route),
    route(['GET'], '/metrics/get-history', (fields) => {
      const input = parse(schemas.metricHistory, fields);
      const history = store.metricHistory(runIdOf(input), input.metric_key);
      const page = paginate(history, input.max_results ?? Math.max(history.length, 1), input.page_token);
      return withPageToken({ metrics: page.items.map(metricJson) }, page.nextPageToken);
    }),
  ];
}

function registryRoutes(
  registry: ModelRegistry,
  route: (methods: Route['methods'], path: string, handle: Handler) => Route,
): Route[] {
  const modelJson = (model: RegisteredModel) => ({ registered_model: registeredModelJson(registry, model) });
  const versionJson = (version: ModelVersion) => ({ model_version: modelVersionJson(registry, version) });
  return [
    // registered models
    route(['POST'], '/registered-models/create', (fields) => {
      const input = parse(schemas.createRegisteredModel, fields);
      return modelJson(
        registry.createModel(input.name, { description: input.description, tags: input.tags }),
      );
    }),
    route(['GET'], '/registered-models/get', (fields) =>
      modelJson(registry.getModel(parse(schemas.modelName, fields).name)),
    ),
    route(['POST'], '/registered-models/rename', (fields) => {
      const { name, new_name } = parse(schemas.renameModel, fields);
      return modelJson(registry.renameModel(name, new_name));
    }),
    route(['PATCH'], '/registered-models/update', (fields) => {
      const { name, description } = parse(schemas.updateModel, fields);
      return modelJson(registry.updateModel(name, description ?? ''));
    }),
    route(['DELETE'], '/registered-models/delete', (fields) => {
      registry.deleteModel(parse(schemas.modelName, fields).name);
      return {};
    }),
    route(['GET'], '/registered-models/search', (fields) => {
      const search = parse(schemas.searchRegistry, fields);
      const clauses = parseRegistryFilter(search.filter, ['name']);
      const matching = registry
        .listModels()
        .filter((model) => clauses.every((clause) => clause.test(model.name)));
      const page = paginate(
        sortRegisteredModels(matching, search.order_by),
        search.max_results ?? 100,
        search.page_token,
      );
      return withPageToken(
        { registered_models: page.items.map((model) => registeredModelJson(registry, model)) },
        page.nextPageToken,
      );
    }),
    route(['GET', 'POST'], '/registered-models/get-latest-versions', (fields) => {
      const { name, stages } = parse(schemas.latestVersions, fields);
      return {
        model_versions: registry
          .latestVersions(name, stages)
          .map((version) => modelVersionJson(registry, version)),
      };
    }),
    route(['POST'], '/registered-models/set-tag', (fields) => {
      const { name, key, value } = parse(schemas.modelTag, fields);
      registry.setModelTag(name, key, value);
      return {};
    }),
    route(['DELETE'], '/registered-models/delete-tag', (fields) => {
      const { name, key } = parse(schemas.modelTagKey, fields);
      registry.setModelTag(name, key, null);
      return {};
    }),
    route(['POST'], '/registered-models/alias', (fields) => {
      const { name, alias, version } = parse(schemas.setAlias, fields);
      registry.setAlias(name, alias, version);
      return {};
    }),
    route(['DELETE'], '/registered-models/alias', (fields) => {
      const { name, alias } = parse(schemas.alias, fields);
      registry.deleteAlias(name, alias);
      return {};
    }),
    route(['GET'], '/registered-models/alias', (fields) => {
      const { name, alias } = parse(schemas.alias, fields);
      return versionJson(registry.versionByAlias(name, alias));
    }),
    // model versions
    route(['POST'], '/model-versions/create', (fields) => {
      const input = parse(schemas.createVersion, fields);
      return versionJson(
        registry.createVersion(input.name, {
          source: input.source,
          runId: input.run_id,
          runLink: input.run_link,
          description: input.description,
          tags: input.tags,
        }),
      );
    }),
    route(['GET'], '/model-versions/get', (fields) => {
      const { name, version } = parse(schemas.version, fields);
      return versionJson(registry.getVersion(name, version));
    }),
    route(['PATCH'], '/model-versions/update', (fields) => {
      const { name, version, description } = parse(schemas.updateVersion, fields);
      return versionJson(registry.updateVersion(name, version, description ?? ''));
    }),
    route(['DELETE'], '/model-versions/delete', (fields) => {
      const { name, version } = parse(schemas.version, fields);
      registry.deleteVersion(name, version);
      return {};
    }),
    route(['GET'], '/model-versions/search', (fields) => {
      const search = parse(schemas.searchRegistry, fields);
      const clauses = parseRegistryFilter(search.filter, ['name', 'run_id']);
      const matching = registry
        .listVersions()
        .filter((version) =>
          clauses.every((clause) => clause.test(clause.key === 'name' ? version.name : version.runId)),
        )
        .sort((a, b) =>
          a.name === b.name ? Number(b.version) - Number(a.version) : a.name < b.name ? -1 : 1,
        );
      const page = paginate(matching, search.max_results ?? 10000, search.page_token);
      return withPageToken(
        { model_versions: page.items.map((version) => modelVersionJson(registry, version)) },
        page.nextPageToken,
      );
    }),
    route(['POST'], '/model-versions/transition-stage', (fields) => {
      const input = parse(schemas.transitionStage, fields);
      return versionJson(
        registry.transitionStage(
          input.name,
          input.version,
          input.stage,
          input.archive_existing_versions ?? false,
        ),
      );
    }),
    route(['GET'], '/model-versions/get-download-uri', (fields) => {
      const { name, version } = parse(schemas.version, fields);
      return { artifact_uri: registry.getVersion(name, version).source };
    }),
    route(['POST'], '/model-versions/set-tag', (fields) => {
      const { name, version, key, value } = parse(schemas.versionTag, fields);
      registry.setVersionTag(name, version, key, value);
      return {};
    }),
    route(['DELETE'], '/model-versions/delete-tag', (fields) => {
      const { name, version, key } = parse(schemas.versionTagKey, fields);
      registry.setVersionTag(name, version, key, null);
      return {};
    }),
  ];
}

// ── the app ─────────────────────────────────────────────────────────────────────────────────────

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

  for (const { methods, path, handle } of trackingRoutes(store, artifacts)) {
    for (const prefix of apiPrefixes) {
      app.route({
        method: methods,
        url: `${prefix}${path}`,
        handler: async (request) =>
          handle(
            request.method === 'GET'
              ? request.query
              : request.method === 'DELETE'
                ? // MLflow clients send DELETE fields as a JSON body or in the query string.
                  { ...(request.query as object), ...(request.body as object | undefined) }
                : request.body,
          ),
      });
    }
  }
  await app.register(async (scope) => artifactProxyRoutes(scope, artifacts));
  return app;
}

/** The artifact path in a proxy URL, each segment percent-decoded (so `%2e%2e` is `..`, then refused). */
function proxyPathOf(rawUrl: string, prefix: string): string {
  const encoded = (rawUrl.split('?')[0] ?? '').slice(prefix.length + 1);
  try {
    return encoded.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw invalidParameter(`Invalid path: ${JSON.stringify(encoded)}`);
  }
}

/**
 * The `mlflow-artifacts` proxy. It has its own scope so uploads are streamed to disk instead of
 * going through the JSON body parser (and its 16 MB limit).
 */
function artifactProxyRoutes(scope: FastifyInstance, artifacts: ArtifactStore): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  for (const prefix of artifactProxyPrefixes) {
    scope.get(`${prefix}`, async (request) => {
      const { path } = parse(schemas.proxyList, request.query);
      return { files: await artifacts.list(path ?? '') };
    });
    scope.put(`${prefix}/*`, async (request) => {
      const declared = request.headers['content-length'];
      await artifacts.write(
        proxyPathOf(request.raw.url ?? '', prefix),
        request.raw,
        declared === undefined ? undefined : Number(declared),
      );
      return {};
    });
    scope.get(`${prefix}/*`, async (request, reply) => {
      const { stream, size } = await artifacts.read(proxyPathOf(request.raw.url ?? '', prefix));
      return reply.type('application/octet-stream').header('content-length', size).send(stream);
    });
    scope.delete(`${prefix}/*`, async (request) => {
      await artifacts.delete(proxyPathOf(request.raw.url ?? '', prefix));
      return {};
    });
  }
}

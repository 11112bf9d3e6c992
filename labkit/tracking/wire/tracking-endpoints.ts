/**
 * The tracking half of MLflow's REST API 2.0 that labkit serves (`MlflowService` in MLflow's
 * `mlflow/protos/service.proto`): experiments, runs, metric history and artifact listing, plus the
 * listing of the `mlflow-artifacts` proxy. Request schemas are as lenient as MLflow's server
 * (unknown fields ignored, `null` as unset, int64 as text); a missing required field fails on that
 * field, which the server words as MLflow does.
 */
import * as z from 'zod';
import { double, int64, listOf, optionalField, requiredString, stringList } from './codecs';
import { emptyReply, endpoint, nextPageToken } from './endpoint';
import {
  experimentSchema,
  fileInfoSchema,
  keyValueInput,
  metricSchema,
  runInfoSchema,
  runSchema,
  runStatuses,
  viewTypes,
} from './entities';

const metricInput = z.object({
  key: requiredString,
  value: double,
  timestamp: int64,
  step: optionalField(int64),
});

const datasetInput = z.object({
  tags: optionalField(z.array(keyValueInput)),
  dataset: z.object({
    name: requiredString,
    digest: requiredString,
    source_type: requiredString,
    source: requiredString,
    schema: optionalField(z.string()),
    profile: optionalField(z.string()),
  }),
});

/** Runs are named by `run_id`; older clients send `run_uuid`, so either will do. */
const runId = { run_id: optionalField(z.string()), run_uuid: optionalField(z.string()) };
const experimentId = { experiment_id: requiredString };
const pageRequest = { max_results: optionalField(int64), page_token: optionalField(z.string()) };
const viewType = optionalField(z.enum(viewTypes));

export const trackingEndpoints = {
  createExperiment: endpoint(
    ['POST'],
    'experiments/create',
    z.object({
      name: requiredString,
      artifact_location: optionalField(z.string()),
      tags: optionalField(z.array(keyValueInput)),
    }),
    z.object({ experiment_id: z.string() }),
  ),
  getExperiment: endpoint(
    ['GET'],
    'experiments/get',
    z.object(experimentId),
    z.object({ experiment: experimentSchema }),
  ),
  getExperimentByName: endpoint(
    ['GET'],
    'experiments/get-by-name',
    z.object({ experiment_name: requiredString }),
    z.object({ experiment: experimentSchema }),
  ),
  searchExperiments: endpoint(
    ['POST', 'GET'],
    'experiments/search',
    z.object({
      ...pageRequest,
      filter: optionalField(z.string()),
      order_by: optionalField(stringList),
      view_type: viewType,
    }),
    z.object({ experiments: listOf(experimentSchema), ...nextPageToken }),
  ),
  updateExperiment: endpoint(
    ['POST'],
    'experiments/update',
    z.object({ ...experimentId, new_name: requiredString }),
    emptyReply,
  ),
  deleteExperiment: endpoint(['POST'], 'experiments/delete', z.object(experimentId), emptyReply),
  restoreExperiment: endpoint(['POST'], 'experiments/restore', z.object(experimentId), emptyReply),
  setExperimentTag: endpoint(
    ['POST'],
    'experiments/set-experiment-tag',
    z.object({ ...experimentId, key: requiredString, value: z.string() }),
    emptyReply,
  ),
  deleteExperimentTag: endpoint(
    ['POST'],
    'experiments/delete-experiment-tag',
    z.object({ ...experimentId, key: requiredString }),
    emptyReply,
  ),

  createRun: endpoint(
    ['POST'],
    'runs/create',
    z.object({
      experiment_id: optionalField(z.string()),
      run_name: optionalField(z.string()),
      start_time: optionalField(int64),
      user_id: optionalField(z.string()),
      tags: optionalField(z.array(keyValueInput)),
    }),
    z.object({ run: runSchema }),
  ),
  updateRun: endpoint(
    ['POST'],
    'runs/update',
    z.object({
      ...runId,
      status: optionalField(z.enum(runStatuses)),
      end_time: optionalField(int64),
      run_name: optionalField(z.string()),
    }),
    z.object({ run_info: runInfoSchema }),
  ),
  deleteRun: endpoint(['POST'], 'runs/delete', z.object(runId), emptyReply),
  restoreRun: endpoint(['POST'], 'runs/restore', z.object(runId), emptyReply),
  getRun: endpoint(['GET'], 'runs/get', z.object(runId), z.object({ run: runSchema })),
  logMetric: endpoint(['POST'], 'runs/log-metric', z.object({ ...runId, ...metricInput.shape }), emptyReply),
  logParam: endpoint(
    ['POST'],
    'runs/log-parameter',
    z.object({ ...runId, ...keyValueInput.shape }),
    emptyReply,
  ),
  setTag: endpoint(['POST'], 'runs/set-tag', z.object({ ...runId, ...keyValueInput.shape }), emptyReply),
  deleteTag: endpoint(['POST'], 'runs/delete-tag', z.object({ ...runId, key: requiredString }), emptyReply),
  logBatch: endpoint(
    ['POST'],
    'runs/log-batch',
    z.object({
      ...runId,
      metrics: optionalField(z.array(metricInput)),
      params: optionalField(z.array(keyValueInput)),
      tags: optionalField(z.array(keyValueInput)),
    }),
    emptyReply,
  ),
  /** mlflow 2.x `log_model` sends the model's MLmodel descriptor as JSON text. */
  logModel: endpoint(
    ['POST'],
    'runs/log-model',
    z.object({ ...runId, model_json: requiredString }),
    emptyReply,
  ),
  logInputs: endpoint(
    ['POST'],
    'runs/log-inputs',
    z.object({
      ...runId,
      datasets: optionalField(z.array(datasetInput)),
      models: optionalField(z.array(z.object({ model_id: requiredString }))),
    }),
    emptyReply,
  ),
  searchRuns: endpoint(
    ['POST'],
    'runs/search',
    z.object({
      experiment_ids: optionalField(stringList),
      filter: optionalField(z.string()),
      run_view_type: viewType,
      max_results: pageRequest.max_results,
      order_by: optionalField(stringList),
      page_token: pageRequest.page_token,
    }),
    z.object({ runs: listOf(runSchema), ...nextPageToken }),
  ),
  getMetricHistory: endpoint(
    ['GET'],
    'metrics/get-history',
    z.object({ ...runId, metric_key: requiredString, ...pageRequest }),
    z.object({ metrics: listOf(metricSchema), ...nextPageToken }),
  ),
  /** Paths in the reply are relative to the run's artifact root; `max_results` is labkit's extension. */
  listArtifacts: endpoint(
    ['GET'],
    'artifacts/list',
    z.object({ ...runId, path: optionalField(z.string()), ...pageRequest }),
    z.object({ root_uri: z.string().optional(), files: listOf(fileInfoSchema), ...nextPageToken }),
  ),
};

/** `GET <artifact proxy>?path=<folder>`: a folder's entries, `path` being each one's name. */
export const artifactProxyListing = {
  request: z.object({ path: optionalField(z.string()) }),
  response: z.object({ files: listOf(fileInfoSchema) }),
};

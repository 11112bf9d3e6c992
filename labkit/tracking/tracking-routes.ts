/**
 * The tracking server's experiments, runs, metric history and `artifacts/list` routes: each parses
 * its endpoint's request, calls the store and answers in MLflow's snake_case JSON.
 */
import { proxyPathOfUri, safeRelativePath, type ArtifactStore } from './artifacts';
import { invalidParameter } from './errors';
import { keyValues, route, runIdOf, withPageToken, type Route } from './routing';
import {
  decodePageToken,
  encodePageToken,
  paginate,
  searchExperiments,
  searchRuns,
  validateMaxResults,
} from './search';
import type { DatasetInput, Experiment, Metric, Run, TrackingStore } from './store';
import { encodeDouble, trackingEndpoints as api } from './wire';

/**
 * The most entries one `artifacts/list` answer carries; beyond it comes a `next_page_token`.
 * (MLflow's own server sends a whole folder; `max_results` is labkit's extension, 1..1000.)
 */
export const artifactListPageSize = 1000;
const logModelHistoryTag = 'mlflow.log-model.history';

function experimentJson(experiment: Experiment) {
  return {
    experiment_id: experiment.experimentId,
    name: experiment.name,
    artifact_location: experiment.artifactLocation,
    lifecycle_stage: experiment.lifecycleStage,
    creation_time: experiment.creationTime,
    last_update_time: experiment.lastUpdateTime,
    tags: keyValues(experiment.tags),
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
      params: keyValues(run.params),
      tags: keyValues(run.tags),
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

export function trackingRoutes(store: TrackingStore, artifacts: ArtifactStore): Route[] {
  return [
    route(api.createExperiment, ({ name, artifact_location, tags }) => ({
      experiment_id: store.createExperiment(name, { artifactLocation: artifact_location, tags }),
    })),
    route(api.getExperiment, ({ experiment_id }) => ({
      experiment: experimentJson(store.getExperiment(experiment_id)),
    })),
    route(api.getExperimentByName, ({ experiment_name }) => ({
      experiment: experimentJson(store.getExperimentByName(experiment_name)),
    })),
    route(api.searchExperiments, (search) => {
      const page = searchExperiments(store.listExperiments(), {
        filter: search.filter,
        viewType: search.view_type,
        maxResults: search.max_results,
        orderBy: search.order_by,
        pageToken: search.page_token,
      });
      return withPageToken({ experiments: page.items.map(experimentJson) }, page.nextPageToken);
    }),
    route(api.deleteExperiment, ({ experiment_id }) => {
      store.deleteExperiment(experiment_id);
      return {};
    }),
    route(api.restoreExperiment, ({ experiment_id }) => {
      store.restoreExperiment(experiment_id);
      return {};
    }),
    route(api.updateExperiment, ({ experiment_id, new_name }) => {
      store.renameExperiment(experiment_id, new_name);
      return {};
    }),
    route(api.setExperimentTag, ({ experiment_id, key, value }) => {
      store.setExperimentTag(experiment_id, key, value);
      return {};
    }),
    route(api.deleteExperimentTag, ({ experiment_id, key }) => {
      store.deleteExperimentTag(experiment_id, key);
      return {};
    }),

    route(api.createRun, (input) => {
      const run = store.createRun({
        experimentId: input.experiment_id,
        runName: input.run_name,
        startTime: input.start_time,
        userId: input.user_id,
        tags: input.tags,
      });
      return { run: runJson(run) };
    }),
    route(api.updateRun, (input) => {
      const run = store.updateRun(runIdOf(input), {
        status: input.status,
        endTime: input.end_time,
        runName: input.run_name,
      });
      return { run_info: runInfoJson(run) };
    }),
    route(api.deleteRun, (input) => {
      store.deleteRun(runIdOf(input));
      return {};
    }),
    route(api.restoreRun, (input) => {
      store.restoreRun(runIdOf(input));
      return {};
    }),
    route(api.getRun, (input) => ({ run: runJson(store.getRun(runIdOf(input))) })),
    route(api.logMetric, (input) => {
      store.logMetric(runIdOf(input), {
        key: input.key,
        value: input.value,
        timestamp: input.timestamp,
        step: input.step ?? 0,
      });
      return {};
    }),
    route(api.logParam, (input) => {
      store.logParam(runIdOf(input), input.key, input.value);
      return {};
    }),
    route(api.setTag, (input) => {
      store.setTag(runIdOf(input), input.key, input.value);
      return {};
    }),
    route(api.deleteTag, (input) => {
      store.deleteTag(runIdOf(input), input.key);
      return {};
    }),
    route(api.logBatch, (input) => {
      store.logBatch(runIdOf(input), {
        metrics: input.metrics?.map((metric) => ({ ...metric, step: metric.step ?? 0 })),
        params: input.params,
        tags: input.tags,
      });
      return {};
    }),
    route(api.logModel, (input) => {
      // mlflow 2.x `log_model` records the model's MLmodel descriptor in a JSON-list tag on the run.
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
    route(api.logInputs, (input) => {
      const datasets: DatasetInput[] = (input.datasets ?? []).map((d) => ({
        tags: d.tags ?? [],
        dataset: d.dataset,
      }));
      store.logInputs(runIdOf(input), datasets, input.models ?? []);
      return {};
    }),
    route(api.searchRuns, (search) => {
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
    route(api.getMetricHistory, (input) => {
      const history = store.metricHistory(runIdOf(input), input.metric_key);
      const page = paginate(history, input.max_results ?? Math.max(history.length, 1), input.page_token);
      return withPageToken({ metrics: page.items.map(metricJson) }, page.nextPageToken);
    }),
    route(api.listArtifacts, async (input) => {
      // Paths in the answer are relative to the run's artifact root, as MLflow's list_artifacts.
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
  ];
}

/**
 * The tracking store: experiments and runs with MLflow's semantics, kept in memory and made durable
 * by an append-only JSON-lines journal (`<dataDir>/tracking.jsonl`) that is replayed at start.
 * Pure JS on purpose: the sandbox image runs this bundled on a Node without native addons.
 *
 * Every mutation is validated first, then written to the journal as an event carrying all generated
 * values (ids, times, random names), then applied. Replay only applies, so it cannot fail halfway.
 */
import { randomBytes, randomInt } from 'node:crypto';
import path from 'node:path';
import { Journal } from '../shared/journal';
import { invalidParameter, MlflowError, notFound } from './errors';
import { ModelRegistry, type RegistryEvent } from './registry';
import { decodeDouble, encodeDouble, type LifecycleStage, type RunStatus } from './wire';

/** MLflow's limits (`mlflow/utils/validation.py`). */
export const limits = {
  maxEntityKeyLength: 250,
  maxParamValueLength: 6000,
  maxTagValueLength: 8000,
  maxExperimentNameLength: 500,
  maxBatchMetrics: 1000,
  maxBatchParams: 100,
  maxBatchTags: 100,
  maxBatchEntities: 1000,
} as const;

export const runNameTag = 'mlflow.runName';
export const defaultExperimentId = '0';

export type Tag = { key: string; value: string };
export type Param = { key: string; value: string };
export type Metric = { key: string; value: number; timestamp: number; step: number };

export type Experiment = {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: Map<string, string>;
};

export type DatasetInput = {
  tags: Tag[];
  dataset: {
    name: string;
    digest: string;
    source_type: string;
    source: string;
    schema?: string;
    profile?: string;
  };
};

export type Run = {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
  params: Map<string, string>;
  tags: Map<string, string>;
  /** Full history per key, in logging order. */
  metricHistory: Map<string, Metric[]>;
  /** The metric get-run reports per key: the max of (step, timestamp, value). */
  latestMetrics: Map<string, Metric>;
  datasetInputs: DatasetInput[];
  modelInputs: { model_id: string }[];
};

export type CreateRunInput = {
  experimentId?: string;
  runName?: string;
  startTime?: number;
  userId?: string;
  tags?: Tag[];
};

export type UpdateRunInput = { status?: RunStatus; endTime?: number; runName?: string };

export type BatchInput = { metrics?: Metric[]; params?: Param[]; tags?: Tag[] };

type ExperimentRecord = Omit<Experiment, 'tags'> & { tags: Tag[] };
type RunRecord = {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  artifactUri: string;
  tags: Tag[];
};
/** Non-finite doubles do not survive JSON, so journal events carry metric values encoded. */
type JournalMetric = Omit<Metric, 'value'> & { value: number | string };

type Event =
  | { type: 'experiment.create'; experiment: ExperimentRecord }
  | { type: 'experiment.rename'; experimentId: string; name: string; time: number }
  | { type: 'experiment.lifecycle'; experimentId: string; stage: LifecycleStage; time: number }
  | { type: 'experiment.tag'; experimentId: string; key: string; value: string; time: number }
  | { type: 'experiment.delete-tag'; experimentId: string; key: string; time: number }
  | { type: 'run.create'; run: RunRecord }
  | { type: 'run.update'; runId: string; status?: RunStatus; endTime?: number; runName?: string }
  | { type: 'run.lifecycle'; runId: string; stage: LifecycleStage }
  | { type: 'run.log'; runId: string; metrics: JournalMetric[]; params: Param[]; tags: Tag[] }
  | { type: 'run.delete-tag'; runId: string; key: string }
  | { type: 'run.inputs'; runId: string; datasets: DatasetInput[]; models: { model_id: string }[] }
  | RegistryEvent;

export const journalFileName = 'tracking.jsonl';

/** Orders metrics as MLflow's SQL store picks the latest: by step, then timestamp, then value. */
export function compareMetricRecency(a: Metric, b: Metric): number {
  if (a.step !== b.step) return a.step - b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  if (Number.isNaN(a.value) || Number.isNaN(b.value)) {
    return Number.isNaN(a.value) === Number.isNaN(b.value) ? 0 : Number.isNaN(a.value) ? 1 : -1;
  }
  return a.value === b.value ? 0 : a.value > b.value ? 1 : -1;
}

const nameAdjectives = [
  'able', 'bold', 'brave', 'bright', 'calm', 'clever', 'crisp', 'eager', 'fair', 'gentle',
  'glad', 'grand', 'happy', 'keen', 'kind', 'lively', 'lucky', 'merry', 'neat', 'nimble',
  'proud', 'quick', 'quiet', 'sharp', 'shy', 'smart', 'steady', 'sunny', 'swift', 'witty',
]; // prettier-ignore
const nameNouns = [
  'ant', 'bass', 'bear', 'bee', 'cat', 'crab', 'crow', 'deer', 'dove', 'eel',
  'elk', 'finch', 'fox', 'frog', 'goat', 'hare', 'hawk', 'lark', 'lynx', 'mole',
  'moth', 'newt', 'owl', 'panda', 'seal', 'shrew', 'slug', 'snail', 'toad', 'wolf',
]; // prettier-ignore

/** A readable random run name in MLflow's style, e.g. `bold-fox-482`. */
export function randomRunName(): string {
  const adjective = nameAdjectives[randomInt(nameAdjectives.length)] ?? 'able';
  const noun = nameNouns[randomInt(nameNouns.length)] ?? 'ant';
  return `${adjective}-${noun}-${randomInt(1000)}`;
}

function validateKey(kind: string, key: string): void {
  if (key.length === 0) throw invalidParameter(`Invalid ${kind} name: ''. Names may not be empty.`);
  if (key.length > limits.maxEntityKeyLength) {
    throw invalidParameter(
      `${kind[0]?.toUpperCase()}${kind.slice(1)} name '${key.slice(0, 20)}…' had length ${key.length}, ` +
        `which exceeded length limit of ${limits.maxEntityKeyLength}.`,
    );
  }
  if (key.startsWith('/') || key.split('/').includes('..')) {
    throw invalidParameter(`Invalid ${kind} name: '${key}'. Names may not start with '/' or contain '..'.`);
  }
}

function validateValueLength(kind: string, key: string, value: string, max: number): void {
  if (value.length > max) {
    throw invalidParameter(
      `${kind} '${key}' had value length ${value.length}, which exceeded length limit of ${max}.`,
    );
  }
}

function validateTimestamp(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidParameter(`Invalid value ${value} for parameter '${what}' supplied.`);
  }
}

export class TrackingStore {
  private readonly experiments = new Map<string, Experiment>();
  private readonly runs = new Map<string, Run>();
  private nextExperimentId = 1;
  private journal: Journal<Event> | null = null;
  /** The model registry, kept in the same journal. */
  readonly registry: ModelRegistry;

  private constructor(
    readonly dataDir: string,
    private readonly now: () => number,
  ) {
    this.registry = new ModelRegistry((event) => this.commit(event), now);
  }

  /** Opens (creating if needed) the store in `dataDir` and replays its journal. */
  static open(dataDir: string, options: { now?: () => number } = {}): TrackingStore {
    const store = new TrackingStore(dataDir, options.now ?? Date.now);
    store.journal = Journal.open<Event>(path.join(dataDir, journalFileName), (event) => store.apply(event));
    if (!store.experiments.has(defaultExperimentId)) {
      const time = store.now();
      store.commit({
        type: 'experiment.create',
        experiment: {
          experimentId: defaultExperimentId,
          name: 'Default',
          artifactLocation: `mlflow-artifacts:/${defaultExperimentId}`,
          lifecycleStage: 'active',
          creationTime: time,
          lastUpdateTime: time,
          tags: [],
        },
      });
    }
    return store;
  }

  close(): void {
    this.journal?.close();
    this.journal = null;
  }

  private commit(event: Event): void {
    if (this.journal === null) throw new Error('The tracking store is closed.');
    this.journal.append(event);
    this.apply(event);
  }

  private apply(event: Event): void {
    switch (event.type) {
      case 'experiment.create': {
        const { tags, ...rest } = event.experiment;
        this.experiments.set(rest.experimentId, {
          ...rest,
          tags: new Map(tags.map((t) => [t.key, t.value])),
        });
        const numericId = Number(rest.experimentId);
        if (Number.isSafeInteger(numericId))
          this.nextExperimentId = Math.max(this.nextExperimentId, numericId + 1);
        return;
      }
      case 'experiment.rename': {
        const experiment = this.mustExperiment(event.experimentId);
        experiment.name = event.name;
        experiment.lastUpdateTime = event.time;
        return;
      }
      case 'experiment.lifecycle': {
        const experiment = this.mustExperiment(event.experimentId);
        experiment.lifecycleStage = event.stage;
        experiment.lastUpdateTime = event.time;
        // As MLflow's SQL store: deleting an experiment deletes its runs, restoring restores them.
        for (const run of this.runs.values()) {
          if (run.experimentId === event.experimentId) run.lifecycleStage = event.stage;
        }
        return;
      }
      case 'experiment.tag': {
        const experiment = this.mustExperiment(event.experimentId);
        experiment.tags.set(event.key, event.value);
        experiment.lastUpdateTime = event.time;
        return;
      }
      case 'experiment.delete-tag': {
        const experiment = this.mustExperiment(event.experimentId);
        experiment.tags.delete(event.key);
        experiment.lastUpdateTime = event.time;
        return;
      }
      case 'run.create': {
        const { tags, ...rest } = event.run;
        this.runs.set(rest.runId, {
          ...rest,
          endTime: null,
          lifecycleStage: 'active',
          params: new Map(),
          tags: new Map(tags.map((t) => [t.key, t.value])),
          metricHistory: new Map(),
          latestMetrics: new Map(),
          datasetInputs: [],
          modelInputs: [],
        });
        return;
      }
      case 'run.update': {
        const run = this.mustRun(event.runId);
        if (event.status !== undefined) run.status = event.status;
        if (event.endTime !== undefined) run.endTime = event.endTime;
        if (event.runName !== undefined) {
          run.runName = event.runName;
          run.tags.set(runNameTag, event.runName);
        }
        return;
      }
      case 'run.lifecycle':
        this.mustRun(event.runId).lifecycleStage = event.stage;
        return;
      case 'run.log': {
        const run = this.mustRun(event.runId);
        for (const param of event.params) run.params.set(param.key, param.value);
        for (const tag of event.tags) {
          run.tags.set(tag.key, tag.value);
          if (tag.key === runNameTag) run.runName = tag.value;
        }
        for (const encoded of event.metrics) {
          // The journal holds only values `encodeDouble` wrote, so each decodes.
          const metric = { ...encoded, value: decodeDouble(encoded.value) ?? Number.NaN };
          const history = run.metricHistory.get(metric.key) ?? [];
          history.push(metric);
          run.metricHistory.set(metric.key, history);
          const latest = run.latestMetrics.get(metric.key);
          if (!latest || compareMetricRecency(metric, latest) >= 0) run.latestMetrics.set(metric.key, metric);
        }
        return;
      }
      case 'run.delete-tag':
        this.mustRun(event.runId).tags.delete(event.key);
        return;
      case 'run.inputs': {
        const run = this.mustRun(event.runId);
        for (const input of event.datasets) {
          const isKnown = run.datasetInputs.some(
            (known) =>
              known.dataset.name === input.dataset.name && known.dataset.digest === input.dataset.digest,
          );
          if (!isKnown) run.datasetInputs.push(input);
        }
        for (const model of event.models) {
          if (!run.modelInputs.some((known) => known.model_id === model.model_id))
            run.modelInputs.push(model);
        }
        return;
      }
      default:
        this.registry.apply(event);
    }
  }

  private mustExperiment(experimentId: string): Experiment {
    const experiment = this.experiments.get(experimentId);
    if (!experiment) throw notFound(`No Experiment with id=${experimentId} exists`);
    return experiment;
  }

  private mustRun(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw notFound(`Run with id=${runId} not found`);
    return run;
  }

  private mustActiveRun(runId: string): Run {
    const run = this.mustRun(runId);
    if (run.lifecycleStage !== 'active') {
      throw invalidParameter(
        `The run ${runId} must be in the 'active' state. Current state is ${run.lifecycleStage}.`,
      );
    }
    return run;
  }

  private mustActiveExperiment(experimentId: string): Experiment {
    const experiment = this.mustExperiment(experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw invalidParameter(
        `The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`,
      );
    }
    return experiment;
  }

  // ── experiments ─────────────────────────────────────────────────────────────────────────────

  private validateExperimentName(name: string): void {
    if (name.trim() === '') throw invalidParameter(`Invalid experiment name: '${name}'`);
    if (name.length > limits.maxExperimentNameLength) {
      throw invalidParameter(
        `Experiment name exceeds the maximum length of ${limits.maxExperimentNameLength}.`,
      );
    }
    if (this.findExperimentByName(name)) {
      throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment '${name}' already exists.`);
    }
  }

  private findExperimentByName(name: string): Experiment | undefined {
    for (const experiment of this.experiments.values()) if (experiment.name === name) return experiment;
    return undefined;
  }

  createExperiment(name: string, options: { artifactLocation?: string; tags?: Tag[] } = {}): string {
    this.validateExperimentName(name);
    for (const tag of options.tags ?? []) {
      validateKey('tag', tag.key);
      validateValueLength('Tag', tag.key, tag.value, limits.maxTagValueLength);
    }
    const experimentId = String(this.nextExperimentId);
    const time = this.now();
    this.commit({
      type: 'experiment.create',
      experiment: {
        experimentId,
        name,
        artifactLocation: options.artifactLocation || `mlflow-artifacts:/${experimentId}`,
        lifecycleStage: 'active',
        creationTime: time,
        lastUpdateTime: time,
        tags: options.tags ?? [],
      },
    });
    return experimentId;
  }

  getExperiment(experimentId: string): Experiment {
    return this.mustExperiment(experimentId);
  }

  getExperimentByName(name: string): Experiment {
    const experiment = this.findExperimentByName(name);
    if (!experiment) throw notFound(`Could not find experiment with name '${name}'`);
    return experiment;
  }

  listExperiments(): Experiment[] {
    return [...this.experiments.values()];
  }

  renameExperiment(experimentId: string, newName: string): void {
    const experiment = this.mustActiveExperiment(experimentId);
    if (experiment.name === newName) return;
    this.validateExperimentName(newName);
    this.commit({ type: 'experiment.rename', experimentId, name: newName, time: this.now() });
  }

  deleteExperiment(experimentId: string): void {
    this.mustExperiment(experimentId);
    if (experimentId === defaultExperimentId) {
      throw invalidParameter(`Cannot delete the default experiment '${defaultExperimentId}'.`);
    }
    this.commit({ type: 'experiment.lifecycle', experimentId, stage: 'deleted', time: this.now() });
  }

  restoreExperiment(experimentId: string): void {
    this.mustExperiment(experimentId);
    this.commit({ type: 'experiment.lifecycle', experimentId, stage: 'active', time: this.now() });
  }

  setExperimentTag(experimentId: string, key: string, value: string): void {
    this.mustActiveExperiment(experimentId);
    validateKey('tag', key);
    validateValueLength('Tag', key, value, limits.maxTagValueLength);
    this.commit({ type: 'experiment.tag', experimentId, key, value, time: this.now() });
  }

  /** As MLflow's SQL store: the experiment must be active and have the tag. */
  deleteExperimentTag(experimentId: string, key: string): void {
    const experiment = this.mustActiveExperiment(experimentId);
    if (!experiment.tags.has(key)) {
      throw notFound(`No tag with name: ${key} in experiment with id ${experimentId}`);
    }
    this.commit({ type: 'experiment.delete-tag', experimentId, key, time: this.now() });
  }

  // ── runs ────────────────────────────────────────────────────────────────────────────────────

  createRun(input: CreateRunInput): Run {
    const experimentId = input.experimentId || defaultExperimentId;
    const experiment = this.mustActiveExperiment(experimentId);
    const tags = new Map((input.tags ?? []).map((t) => [t.key, t.value]));
    for (const [key, value] of tags) {
      validateKey('tag', key);
      validateValueLength('Tag', key, value, limits.maxTagValueLength);
    }
    const taggedName = tags.get(runNameTag);
    if (input.runName && taggedName !== undefined && taggedName !== input.runName) {
      throw invalidParameter(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values ` +
          `(run_name='${input.runName}', mlflow.runName='${taggedName}').`,
      );
    }
    const runName = input.runName || taggedName || randomRunName();
    tags.set(runNameTag, runName);
    const userId = input.userId ?? tags.get('mlflow.user') ?? '';
    const startTime = input.startTime ?? this.now();
    validateTimestamp('start_time', startTime);
    const runId = randomBytes(16).toString('hex');
    this.commit({
      type: 'run.create',
      run: {
        runId,
        experimentId,
        runName,
        userId,
        status: 'RUNNING',
        startTime,
        artifactUri: `${experiment.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`,
        tags: [...tags].map(([key, value]) => ({ key, value })),
      },
    });
    return this.mustRun(runId);
  }

  getRun(runId: string): Run {
    return this.mustRun(runId);
  }

  listRuns(): Run[] {
    return [...this.runs.values()];
  }

  updateRun(runId: string, input: UpdateRunInput): Run {
    this.mustActiveRun(runId);
    if (input.endTime !== undefined) validateTimestamp('end_time', input.endTime);
    if (input.runName !== undefined)
      validateValueLength('Tag', runNameTag, input.runName, limits.maxTagValueLength);
    this.commit({
      type: 'run.update',
      runId,
      status: input.status,
      endTime: input.endTime,
      runName: input.runName || undefined,
    });
    return this.mustRun(runId);
  }

  deleteRun(runId: string): void {
    this.mustRun(runId);
    this.commit({ type: 'run.lifecycle', runId, stage: 'deleted' });
  }

  restoreRun(runId: string): void {
    this.mustRun(runId);
    this.commit({ type: 'run.lifecycle', runId, stage: 'active' });
  }

  logMetric(runId: string, metric: Metric): void {
    this.logBatch(runId, { metrics: [metric] });
  }

  logParam(runId: string, key: string, value: string): void {
    this.logBatch(runId, { params: [{ key, value }] });
  }

  setTag(runId: string, key: string, value: string): void {
    this.logBatch(runId, { tags: [{ key, value }] });
  }

  deleteTag(runId: string, key: string): void {
    const run = this.mustActiveRun(runId);
    if (!run.tags.has(key)) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
    this.commit({ type: 'run.delete-tag', runId, key });
  }

  /** Logs metrics, params and tags atomically: either all are valid and written, or none. */
  logBatch(runId: string, batch: BatchInput): void {
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    const run = this.mustActiveRun(runId);
    const tooMany = (what: string, count: number, max: number) =>
      invalidParameter(
        `A batch logging request can contain at most ${max} ${what}. Got ${count} ${what}. ` +
          `Please split up ${what} across multiple requests and try again.`,
      );
    if (metrics.length > limits.maxBatchMetrics)
      throw tooMany('metrics', metrics.length, limits.maxBatchMetrics);
    if (params.length > limits.maxBatchParams) throw tooMany('params', params.length, limits.maxBatchParams);
    if (tags.length > limits.maxBatchTags) throw tooMany('tags', tags.length, limits.maxBatchTags);
    const total = metrics.length + params.length + tags.length;
    if (total > limits.maxBatchEntities) {
      throw invalidParameter(
        `A batch logging request can contain at most ${limits.maxBatchEntities} total metrics, params and tags. ` +
          `Got ${total}. Please split up the request across multiple requests and try again.`,
      );
    }
    for (const metric of metrics) {
      validateKey('metric', metric.key);
      validateTimestamp('timestamp', metric.timestamp);
      if (!Number.isSafeInteger(metric.step))
        throw invalidParameter(`Invalid value ${metric.step} for parameter 'step' supplied.`);
    }
    const newParams = new Map<string, string>();
    for (const param of params) {
      validateKey('param', param.key);
      validateValueLength('Param', param.key, param.value, limits.maxParamValueLength);
      const existing = run.params.get(param.key) ?? newParams.get(param.key);
      if (existing !== undefined && existing !== param.value) {
        throw invalidParameter(
          `Changing param values is not allowed. Param with key='${param.key}' was already logged with ` +
            `value='${existing}' for run ID='${runId}'. Attempted logging new value '${param.value}'.`,
        );
      }
      newParams.set(param.key, param.value);
    }
    for (const tag of tags) {
      validateKey('tag', tag.key);
      validateValueLength('Tag', tag.key, tag.value, limits.maxTagValueLength);
    }
    if (total === 0) return;
    this.commit({
      type: 'run.log',
      runId,
      metrics: metrics.map((m) => ({
        key: m.key,
        value: encodeDouble(m.value),
        timestamp: m.timestamp,
        step: m.step,
      })),
      params: [...newParams].filter(([key]) => !run.params.has(key)).map(([key, value]) => ({ key, value })),
      tags,
    });
  }

  logInputs(runId: string, datasets: DatasetInput[], models: { model_id: string }[] = []): void {
    this.mustActiveRun(runId);
    if (datasets.length === 0 && models.length === 0) return;
    this.commit({ type: 'run.inputs', runId, datasets, models });
  }

  metricHistory(runId: string, key: string): Metric[] {
    return [...(this.mustRun(runId).metricHistory.get(key) ?? [])];
  }
}

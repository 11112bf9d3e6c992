/**
 * The entities MLflow's replies carry (`Experiment`, `Run`, `Metric`, `RegisteredModel`,
 * `ModelVersion`… as MLflow's `mlflow/protos/service.proto` and `model_registry.proto` define
 * them), decoded the way MLflow's client reads them: unknown fields ignored, fields at their
 * default value possibly left out, int64 as numbers, non-finite doubles as numbers. The server
 * writes these shapes (their zod input types) and the clients read them (their output types).
 */
import * as z from 'zod';
import { double, int64, listOf, optionalField, requiredString } from './codecs';

export const lifecycleStages = ['active', 'deleted'] as const;
export type LifecycleStage = (typeof lifecycleStages)[number];
export const runStatuses = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof runStatuses)[number];
export const viewTypes = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export type ViewType = (typeof viewTypes)[number];
export const modelStages = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof modelStages)[number];

/** Params and every kind of tag: a key and a string value (left out when empty). */
export const keyValueSchema = z.object({ key: z.string(), value: z.string().default('') });
export type KeyValue = z.output<typeof keyValueSchema>;
/** A param or tag in a request: the key must be there, the value may be empty. */
export const keyValueInput = z.object({ key: requiredString, value: z.string() });

export const experimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  lifecycle_stage: z.string().default('active'),
  creation_time: int64.optional(),
  last_update_time: int64.optional(),
  tags: listOf(keyValueSchema),
});
export type Experiment = z.output<typeof experimentSchema>;

export const metricSchema = z.object({
  key: z.string(),
  value: double,
  timestamp: int64.default(0),
  step: int64.default(0),
});
export type Metric = z.output<typeof metricSchema>;

/** `run_id`, or the older `run_uuid` when that is all a server sends; a run without either is refused. */
export const runInfoSchema = z
  .object({
    run_id: z.string().optional(),
    run_uuid: z.string().optional(),
    run_name: z.string().optional(),
    experiment_id: z.string(),
    user_id: z.string().optional(),
    status: z.enum(runStatuses).catch('RUNNING'),
    start_time: int64.optional(),
    end_time: optionalField(int64),
    artifact_uri: z.string().optional(),
    lifecycle_stage: z.string().default('active'),
  })
  .transform((info, context) => {
    const runId = info.run_id || info.run_uuid;
    if (runId) return { ...info, run_id: runId };
    context.issues.push({ code: 'custom', message: 'A run has neither run_id nor run_uuid.', input: info });
    return z.NEVER;
  });
export type RunInfo = z.output<typeof runInfoSchema>;

export const runDataSchema = z.object({
  metrics: listOf(metricSchema),
  params: listOf(keyValueSchema),
  tags: listOf(keyValueSchema),
});

export const datasetSchema = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});

export const datasetInputSchema = z.object({ tags: listOf(keyValueSchema), dataset: datasetSchema });
export type DatasetInput = z.output<typeof datasetInputSchema>;

export const runInputsSchema = z.object({
  dataset_inputs: listOf(datasetInputSchema),
  model_inputs: listOf(z.object({ model_id: z.string() })),
});

export const runSchema = z.object({
  info: runInfoSchema,
  data: runDataSchema.prefault({}),
  inputs: runInputsSchema.prefault({}),
});
export type Run = z.output<typeof runSchema>;

/** An entry of an artifact folder; `path` is relative to what was listed. */
export const fileInfoSchema = z.object({
  path: z.string(),
  is_dir: z.boolean().default(false),
  file_size: int64.optional(),
});
export type FileInfo = z.output<typeof fileInfoSchema>;

/** A stage in any letter case, as MLflow reads them; an unknown one counts as `None`. */
const modelStageSchema = z
  .string()
  .default('None')
  .transform(
    (stage): ModelStage => modelStages.find((known) => known.toLowerCase() === stage.toLowerCase()) ?? 'None',
  );

export const modelVersionSchema = z.object({
  name: z.string(),
  version: z.union([z.string(), z.number().transform(String)]),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  user_id: z.string().optional(),
  current_stage: modelStageSchema,
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  run_link: z.string().optional(),
  status: z.string().optional(),
  tags: listOf(keyValueSchema),
  aliases: listOf(z.string()),
});
export type ModelVersion = z.output<typeof modelVersionSchema>;

export const modelAliasSchema = z.object({ alias: z.string(), version: z.string() });

export const registeredModelSchema = z.object({
  name: z.string(),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  description: z.string().optional(),
  tags: listOf(keyValueSchema),
  aliases: listOf(modelAliasSchema),
  latest_versions: listOf(modelVersionSchema),
});
export type RegisteredModel = z.output<typeof registeredModelSchema>;

/** MLflow's error body, on every reply that is not 2xx. */
export const errorBodySchema = z.object({ error_code: z.string(), message: z.string() });
export type ErrorBody = z.output<typeof errorBodySchema>;

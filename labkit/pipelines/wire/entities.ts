/**
 * What the pipelines service says about a learner's DVC project, as JSON: the pipeline graph with
 * each stage's state and details, a stage's log, the parameters and metrics against the last git
 * commit, and the plots. The server builds its replies against these schemas and the browser
 * parses them with the same ones, so neither side can drift.
 */
import * as z from 'zod';

/** A stage's one state, as `labkit pipeline status --json` names it. */
export const stageStates = ['up to date', 'changed', 'running', 'failed', 'frozen'] as const;
export const stageStateSchema = z.enum(stageStates);
export type StageState = z.infer<typeof stageStateSchema>;

/** How a stage's last run ended (`running` while it runs; `cached`: restored from the run-cache). */
export const lastRunStateSchema = z.enum(['running', 'succeeded', 'failed', 'cached', 'interrupted']);

export const lastRunSchema = z.object({
  state: lastRunStateSchema,
  /** ms since the epoch. */
  startedAt: z.number(),
  endedAt: z.number().optional(),
  durationMs: z.number().optional(),
  exitCode: z.number().optional(),
});
export type LastRun = z.infer<typeof lastRunSchema>;

/** A file or folder against what dvc.lock records: `unchanged`, or DVC's reason it changed. */
export const entryStateSchema = z.enum(['unchanged', 'modified', 'deleted', 'new', 'not in cache']);
export type EntryState = z.infer<typeof entryStateSchema>;

export const stageDepSchema = z.object({
  path: z.string(),
  /** Its md5 now (`….dir` for a folder); null when it is missing. */
  hash: z.string().nullable(),
  /** The md5 dvc.lock records; null before the stage ever ran. */
  locked: z.string().nullable(),
  state: entryStateSchema,
  /** A URL labkit cannot check (`s3://…`). */
  external: z.boolean(),
});
export type StageDep = z.infer<typeof stageDepSchema>;

export const stageParamSchema = z.object({
  file: z.string(),
  /** Empty when the whole file is tracked and the file itself is new or gone. */
  key: z.string(),
  /** The value now, as YAML writes it (`0.1`, `true`, `[1, 2]`); null when missing. */
  value: z.string().nullable(),
  /** The value dvc.lock records; null when it records none. */
  locked: z.string().nullable(),
  state: entryStateSchema,
});
export type StageParam = z.infer<typeof stageParamSchema>;

export const outKindSchema = z.enum(['outs', 'metrics', 'plots']);

export const stageOutSchema = stageDepSchema.extend({
  kind: outKindSchema,
  cache: z.boolean(),
  persist: z.boolean(),
});
export type StageOut = z.infer<typeof stageOutSchema>;

export const stageViewSchema = z.object({
  /** How commands name it: `train`, `train@us`, `sub/dvc.yaml:train`. */
  id: z.string(),
  name: z.string(),
  dvcfile: z.string(),
  wdir: z.string(),
  /** The command, one line per entry (dvc.yaml allows a list). */
  cmd: z.array(z.string()),
  desc: z.string().optional(),
  frozen: z.boolean(),
  state: stageStateSchema,
  /** Why it would run, in `dvc status`'s words (`changed deps`, `modified: params.yaml:train.lr`…). */
  reasons: z.array(z.string()),
  deps: z.array(stageDepSchema),
  params: z.array(stageParamSchema),
  outs: z.array(stageOutSchema),
  /** The stages it needs (by id). */
  upstream: z.array(z.string()),
  lastRun: lastRunSchema.optional(),
});
export type StageView = z.infer<typeof stageViewSchema>;

/**
 * A file or folder in the graph: a source (`data/raw.csv`, or a `.dvc` file's data), or a stage's
 * output (`outs`, `metrics`, `plots`). Dependencies inside an output are drawn as that output.
 */
export const dataNodeSchema = z.object({
  id: z.string(),
  path: z.string(),
  kind: z.enum(['source', 'tracked', 'outs', 'metrics', 'plots']),
  /** The stage writing it, for an output. */
  producer: z.string().optional(),
});
export type DataNode = z.infer<typeof dataNodeSchema>;

/** Node ids: `stage:<stage id>` and `data:<path>`. */
export const graphEdgeSchema = z.object({ from: z.string(), to: z.string() });
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

export const pipelineViewSchema = z.object({
  /** The project's folder relative to the workspace (`.` for the workspace itself); null: none yet. */
  project: z.string().nullable(),
  /** Every DVC project found in the workspace (its top and the folders two levels below). */
  projects: z.array(z.string()),
  /** Why the pipeline cannot be shown (a dvc.yaml that does not parse, a cycle…), in labkit's words. */
  problem: z.string().nullable(),
  /** A `labkit pipeline repro` (or `exp run`) running in the project now. */
  repro: z.object({ running: z.boolean(), pid: z.number().optional() }),
  /** The stages in run order. */
  stages: z.array(stageViewSchema),
  data: z.array(dataNodeSchema),
  edges: z.array(graphEdgeSchema),
});
export type PipelineView = z.infer<typeof pipelineViewSchema>;

export const logChunkSchema = z.object({
  stage: z.string(),
  /** Where this text starts in the log file, in bytes. */
  offset: z.number(),
  /** Where to ask from next time. */
  nextOffset: z.number(),
  /** The log's size now. */
  size: z.number(),
  text: z.string(),
  /** The log was rewritten (a new run) since `offset` was asked for: this is from its start. */
  restarted: z.boolean(),
  /** Earlier bytes left out (only the end of a long log is sent). */
  truncated: z.boolean(),
  lastRun: lastRunSchema.optional(),
});
export type LogChunk = z.infer<typeof logChunkSchema>;

export const diffRowSchema = z.object({
  file: z.string(),
  key: z.string(),
  /** The value at the last commit (as a table cell); null when absent there. */
  old: z.string().nullable(),
  /** The value in the workspace; null when absent. */
  new: z.string().nullable(),
  changed: z.boolean(),
  /** new − old, when both are numbers. */
  change: z.number().optional(),
});
export type DiffRow = z.infer<typeof diffRowSchema>;

export const diffViewSchema = z.object({
  /** The commit compared with (short hash); null without git or a first commit. */
  commit: z.string().nullable(),
  /** Why there is no commit side, when there is none. */
  note: z.string().nullable(),
  params: z.array(diffRowSchema),
  metrics: z.array(diffRowSchema),
});
export type DiffView = z.infer<typeof diffViewSchema>;

export const plotSchema = z.discriminatedUnion('kind', [
  /** A chart labkit drew from a data file: SVG text with nothing but shapes and escaped text. */
  z.object({ kind: z.literal('chart'), id: z.string(), title: z.string(), svg: z.string() }),
  /** An image the pipeline wrote; its bytes come from the image endpoint. */
  z.object({ kind: z.literal('image'), id: z.string(), title: z.string(), path: z.string() }),
]);
export type Plot = z.infer<typeof plotSchema>;

export const plotsViewSchema = z.object({ plots: z.array(plotSchema), warnings: z.array(z.string()) });
export type PlotsView = z.infer<typeof plotsViewSchema>;

/** What a failed request gets: a code and a sentence. */
export const errorReplySchema = z.object({ error: z.string(), message: z.string() });
export type ErrorReply = z.infer<typeof errorReplySchema>;

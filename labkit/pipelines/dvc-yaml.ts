/**
 * `dvc.yaml` as written, before any `${}` is resolved: the shape DVC's `dvc/schema.py` accepts.
 * Top level: `stages`, `vars`, `params`, `metrics`, `plots`, `artifacts`, `datasets`. A stage is
 * either a definition (`cmd` and the optional `wdir`, `deps`, `params`, `outs`, `metrics`,
 * `plots`, `frozen`, `always_changed`, `desc`, `meta`, `vars`), a `foreach` with a `do`
 * definition, or a definition with a `matrix`. Unknown keys are refused, as DVC refuses them, so a
 * typo such as `dep:` is an error naming the stage and field rather than a silent no-op.
 */
import fs from 'node:fs';
import * as z from 'zod';
import type { PyValue } from '../data/python-json';
import { parseYaml, validate } from '../data/yaml-file';

const anything = z.custom<PyValue>(() => true);

/** The flags an output may carry (`- model.pkl: {cache: false}`), as DVC's schema lists them. */
const outFlags = {
  cache: z.boolean().optional(),
  persist: z.boolean().optional(),
  checkpoint: z.boolean().optional(),
  desc: z.string().optional(),
  type: z.string().optional(),
  labels: z.array(z.string()).optional(),
  meta: anything.optional(),
  remote: z.string().optional(),
  push: z.boolean().optional(),
};

/** What a plot may say about how to draw it (DVC's `PLOT_PROPS`). */
const plotProps = {
  template: z.string().optional(),
  x: z.string().optional(),
  y: z.string().optional(),
  x_label: z.string().optional(),
  y_label: z.string().optional(),
  title: z.string().optional(),
  header: z.boolean().optional(),
};

const outFlagsSchema = z.strictObject(outFlags);
const plotFlagsSchema = z.strictObject({ ...outFlags, ...plotProps });

/** `- path` or `- path: {flags}` (one key). */
function outputEntry<T extends z.ZodType>(flags: T) {
  return z.union([
    z.string().min(1),
    z
      .record(z.string(), flags.nullable())
      .refine(
        (entry) => Object.keys(entry).length === 1,
        'an output entry maps exactly one path to its flags',
      ),
  ]);
}

export type OutFlags = z.output<typeof outFlagsSchema>;
export type PlotFlags = z.output<typeof plotFlagsSchema>;

const paramsEntry = z.union([z.string().min(1), z.record(z.string(), z.array(z.string()).nullable())]);

const varsSchema = z.array(z.union([z.string().min(1), z.record(z.string(), anything)]));

export const stageDefinitionSchema = z.strictObject({
  cmd: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  wdir: z.string().optional(),
  deps: z.array(z.string().min(1)).optional(),
  params: z.array(paramsEntry).optional(),
  outs: z.array(outputEntry(outFlagsSchema)).optional(),
  metrics: z.array(outputEntry(outFlagsSchema)).optional(),
  plots: z.array(outputEntry(plotFlagsSchema)).optional(),
  frozen: z.boolean().optional(),
  always_changed: z.boolean().optional(),
  desc: z.string().optional(),
  meta: anything.optional(),
  vars: varsSchema.optional(),
});

export type StageDefinition = z.output<typeof stageDefinitionSchema>;

const foreachSchema = z.strictObject({
  foreach: z.union([z.string(), z.array(anything), z.record(z.string(), anything)]),
  do: stageDefinitionSchema,
});

const matrixSchema = stageDefinitionSchema.extend({
  matrix: z.record(z.string(), z.union([z.string(), z.array(anything)])),
});

/** One entry of `stages`: checked by its own keys, so an error speaks of the kind it is. */
const stageEntrySchema = z
  .custom<PyValue>(() => true)
  .superRefine((value, context) => {
    const schema =
      typeof value === 'object' && value !== null && 'foreach' in value
        ? foreachSchema
        : typeof value === 'object' && value !== null && 'matrix' in value
          ? matrixSchema
          : stageDefinitionSchema;
    const result = schema.safeParse(value);
    if (!result.success) for (const issue of result.error.issues) context.addIssue({ ...issue } as never);
  });

/** A top-level plot: `- path`, `- path: {props}` or `- id: {x, y: {file: field}, template…}`. */
const topLevelPlotSchema = z.union([
  z.string().min(1),
  z.record(
    z.string(),
    z
      .strictObject({
        ...plotProps,
        y: z
          .union([
            z.string(),
            z.array(z.string()),
            z.record(z.string(), z.union([z.string(), z.array(z.string())])),
          ])
          .optional(),
        x: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
      })
      .nullable(),
  ),
]);

export const dvcYamlSchema = z.strictObject({
  stages: z.record(z.string(), stageEntrySchema).optional(),
  vars: varsSchema.optional(),
  params: z.array(z.string()).optional(),
  metrics: z.array(z.string()).optional(),
  plots: z.array(topLevelPlotSchema).optional(),
  artifacts: z
    .record(z.string(), z.looseObject({ path: z.string(), type: z.string().optional() }))
    .optional(),
  datasets: z.array(anything).optional(),
});

export type DvcYaml = z.output<typeof dvcYamlSchema>;
export type TopLevelPlot = z.output<typeof topLevelPlotSchema>;

export const foreachEntrySchema = foreachSchema;
export const matrixEntrySchema = matrixSchema;

/** Reads and checks a `dvc.yaml`; errors name the file (as `displayName`) and the field. */
export function readDvcYaml(file: string, displayName: string): DvcYaml {
  return parseDvcYaml(fs.readFileSync(file, 'utf8'), displayName);
}

export function parseDvcYaml(text: string, displayName: string): DvcYaml {
  return validate(dvcYamlSchema, parseYaml(text, displayName) ?? {}, displayName);
}

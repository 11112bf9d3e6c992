/**
 * From a `dvc.yaml` as written to its concrete stages, as DVC's `dvc/parsing/__init__.py` does:
 *
 * - the context: `params.yaml` beside the file, then the top-level `vars`;
 * - a plain stage: its `wdir` resolved first, then its own `vars` (on a copy of the context),
 *   then every field;
 * - `foreach` over a list (`name@value` for simple values, `name@0`, `name@1`… when the items are
 *   lists or mappings) or a mapping (`name@key`), with `${item}` and, for mappings, `${key}`;
 * - `matrix`: every combination of its lists, named `name@v1-v2` (a list or mapping value is named
 *   by its key and index, `name@model0-lr1`), with `${item.<key>}` and `${key}`.
 *
 * Errors say where, as DVC says it: `failed to parse 'stages.train.cmd' in 'dvc.yaml': Could
 * not find 'train.lr'`.
 */
import path from 'node:path';
import { isPyMapping, type PyValue } from '../data/python-json';
import { validate, YamlFileError } from '../data/yaml-file';
import { Context } from './context';
import {
  foreachEntrySchema,
  matrixEntrySchema,
  stageDefinitionSchema,
  type DvcYaml,
  type StageDefinition,
  type TopLevelPlot,
} from './dvc-yaml';
import { InterpolationError, resolveValue, toStr } from './interpolate';
import { defaultParamsFile, ParamsFiles } from './params-files';
import { buildStage, type Stage } from './stage';

/** A `dvc.yaml` that cannot be turned into stages, with the file and field named. */
export class PipelineFileError extends Error {
  override name = 'PipelineFileError';
}

export type ExpandedPipeline = {
  dvcfile: string;
  stages: Stage[];
  /** The top-level `params`, `metrics` and `plots`, resolved (paths relative to the dvc.yaml's folder). */
  params: string[];
  metrics: string[];
  plots: TopLevelPlot[];
  artifacts: Record<string, { path: string; type?: string }>;
};

type Mapping = { [key: string]: PyValue };

function fail(where: string, display: string, error: unknown): never {
  if (error instanceof InterpolationError || error instanceof YamlFileError) {
    throw new PipelineFileError(`failed to parse '${where}' in '${display}': ${error.message}`);
  }
  throw error;
}

function isMapOrSeq(value: PyValue): boolean {
  return Array.isArray(value) || isPyMapping(value);
}

export type ExpandOptions = { root: string; dvcfile: string; display: string; files?: ParamsFiles };

/** Builds the context and resolves every stage of a checked `dvc.yaml`. */
export function expandPipeline(raw: DvcYaml, options: ExpandOptions): ExpandedPipeline {
  const { root, dvcfile, display } = options;
  const files = options.files ?? new ParamsFiles();
  const dvcfileDir = path.dirname(dvcfile);
  const context = Context.empty();
  try {
    const defaultFile = path.join(dvcfileDir, defaultParamsFile);
    const defaultDisplay = path.relative(root, defaultFile).split(path.sep).join('/');
    if (files.read(defaultFile, defaultDisplay) !== undefined)
      context.mergeFile(defaultParamsFile, dvcfileDir, root, files);
    for (const [index, entry] of (raw.vars ?? []).entries()) {
      if (typeof entry === 'string') context.mergeFile(entry, dvcfileDir, root, files);
      else context.merge(entry as Mapping, `vars[${index}]`);
    }
  } catch (error) {
    fail('vars', display, error);
  }

  const stages: Stage[] = [];
  const resolveDefinition = (
    name: string,
    definition: Mapping,
    where: string,
    group: string | undefined,
  ): Stage => {
    let stageContext = context;
    let wdir = dvcfileDir;
    const resolved: Mapping = {};
    if (definition.wdir !== undefined) {
      try {
        resolved.wdir = resolveValue(definition.wdir, stageContext, 'wdir');
      } catch (error) {
        fail(`${where}.wdir`, display, error);
      }
      wdir = path.resolve(dvcfileDir, String(resolved.wdir));
    }
    const vars = definition.vars;
    if (Array.isArray(vars) && vars.length > 0) {
      stageContext = context.clone();
      try {
        for (const [index, entry] of vars.entries()) {
          if (typeof entry === 'string') stageContext.mergeFile(entry, wdir, root, files);
          else stageContext.merge(entry as Mapping, `${name}.vars[${index}]`);
        }
      } catch (error) {
        fail(`${where}.vars`, display, error);
      }
    }
    for (const [key, value] of Object.entries(definition)) {
      if (key === 'vars' || key === 'wdir') continue;
      try {
        resolved[key] = resolveValue(value, stageContext, key);
      } catch (error) {
        fail(`${where}.${key}`, display, error);
      }
    }
    const checked: StageDefinition = validate(stageDefinitionSchema, resolved, `${display}: ${where}`);
    return buildStage({ root, dvcfile, name, ...(group === undefined ? {} : { group }) }, checked);
  };

  for (const [name, entry] of Object.entries(raw.stages ?? {})) {
    const where = `stages.${name}`;
    if (name.includes('@') || name.includes(':')) {
      throw new PipelineFileError(`${display}: stage name '${name}' may not contain '@' or ':'.`);
    }
    if (isPyMapping(entry) && 'foreach' in entry) {
      const { foreach, do: template } = validate(foreachEntrySchema, entry, `${display}: ${where}`);
      let iterable: PyValue;
      try {
        iterable = resolveValue(foreach, context, 'foreach');
      } catch (error) {
        fail(`${where}.foreach`, display, error);
      }
      if (!isMapOrSeq(iterable)) {
        fail(
          `${where}.foreach`,
          display,
          new InterpolationError(`expected a list or a mapping, got '${toStr(iterable)}'`),
        );
      }
      const pairs: [string, PyValue][] = Array.isArray(iterable)
        ? iterable.some(isMapOrSeq)
          ? iterable.map((item, index) => [String(index), item])
          : iterable.map((item) => [toStr(item), item])
        : Object.entries(iterable as Mapping);
      const withKey = !Array.isArray(iterable);
      for (const [key, item] of pairs) {
        const generated = `${name}@${key}`;
        const values: Mapping = withKey ? { item, key } : { item };
        stages.push(
          context.withTemporary(values, () =>
            resolveDefinition(generated, template as Mapping, `stages.${generated}`, name),
          ),
        );
      }
      continue;
    }
    if (isPyMapping(entry) && 'matrix' in entry) {
      const { matrix, ...template } = validate(matrixEntrySchema, entry, `${display}: ${where}`);
      let resolvedMatrix: PyValue;
      try {
        resolvedMatrix = resolveValue(matrix as Mapping, context, 'foreach');
      } catch (error) {
        fail(`${where}.matrix`, display, error);
      }
      const axes = Object.entries(resolvedMatrix as Mapping).map(([key, values]) => {
        if (!Array.isArray(values)) {
          fail(
            `${where}.matrix.${key}`,
            display,
            new InterpolationError(`expected a list, got '${toStr(values)}'`),
          );
        }
        return { key, values };
      });
      let combinations: { item: Mapping; fragments: string[] }[] = [{ item: {}, fragments: [] }];
      for (const { key, values } of axes) {
        combinations = combinations.flatMap(({ item, fragments }) =>
          values.map((value, index) => ({
            item: { ...item, [key]: value },
            fragments: [...fragments, isMapOrSeq(value) ? `${key}${index}` : toStr(value)],
          })),
        );
      }
      for (const { item, fragments } of combinations) {
        const key = fragments.join('-');
        const generated = `${name}@${key}`;
        stages.push(
          context.withTemporary({ item, key }, () =>
            resolveDefinition(generated, template as Mapping, `stages.${generated}`, name),
          ),
        );
      }
      continue;
    }
    stages.push(resolveDefinition(name, entry as Mapping, where, undefined));
  }

  const resolveTop = <T>(key: string, value: T): T => {
    try {
      return resolveValue(value as PyValue, context, key) as T;
    } catch (error) {
      fail(key, display, error);
    }
  };
  return {
    dvcfile,
    stages,
    params: resolveTop('params', raw.params ?? []),
    metrics: resolveTop('metrics', raw.metrics ?? []),
    plots: resolveTop('plots', raw.plots ?? []),
    artifacts: resolveTop('artifacts', raw.artifacts ?? {}),
  };
}

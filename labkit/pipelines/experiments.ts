/**
 * Experiments: `exp run -S train.lr=0.01` changes parameters in the workspace, reproduces the
 * pipeline and records the result; `exp show` lists them with their parameters and metrics.
 *
 * `-S` follows DVC 3's (Hydra's) override grammar: `[file:]key=value` changes an existing key,
 * `+key=value` adds one, `~key` removes one; values are read as YAML (`0.01` a float, `true` a
 * boolean, `[1, 2]` a list). The file defaults to `params.yaml`; only YAML files are edited, and
 * their comments and layout are kept.
 *
 * DVC keeps each experiment as a hidden git commit under `refs/exps`. labkit keeps them without
 * git, in a journal, `.dvc/tmp/labkit/experiments.jsonl` (one JSON line per experiment: name,
 * time, git commit it started from, the overrides, the parameters and metrics after the run and
 * the outputs' hashes), so they survive in a workspace that is not a git repository and never
 * touch the learner's branches. The workspace keeps the last experiment's results, as DVC's
 * `exp run` leaves them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import * as z from 'zod';
import { toPlain } from '../data/python-json';
import type { DvcRepo } from '../data/repo';
import { Journal } from '../shared/journal';
import type { ValuesByFile } from './metrics';
import { defaultParamsFile } from './params-files';

export class OverrideError extends Error {
  override name = 'OverrideError';
}

export type Override = {
  /** Relative to the folder it is applied in (the dvc.yaml's). */
  file: string;
  operation: 'set' | 'add' | 'remove';
  key: string;
  /** The value's YAML text. */
  value?: string;
  text: string;
};

/** Reads one `-S` argument. */
export function parseOverride(text: string): Override {
  let rest = text.trim();
  let operation: Override['operation'] = 'set';
  if (rest.startsWith('+')) {
    operation = 'add';
    rest = rest.slice(1);
  } else if (rest.startsWith('~')) {
    operation = 'remove';
    rest = rest.slice(1);
  }
  const equals = rest.indexOf('=');
  const target = equals === -1 ? rest : rest.slice(0, equals);
  const value = equals === -1 ? undefined : rest.slice(equals + 1);
  if (operation !== 'remove' && value === undefined) {
    throw new OverrideError(
      `-S ${text}: expected [file:]key=value (or +key=value to add a key, ~key to remove one).`,
    );
  }
  const colon = target.lastIndexOf(':');
  const file = colon > 0 ? target.slice(0, colon) : defaultParamsFile;
  const key = colon > 0 ? target.slice(colon + 1) : target;
  if (!/^[^.\s][^\s]*$/.test(key) || key.endsWith('.'))
    throw new OverrideError(`-S ${text}: "${key}" is not a parameter key.`);
  return { file, operation, key, text, ...(value === undefined ? {} : { value }) };
}

function keyPath(key: string): (string | number)[] {
  return key.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Applies the overrides to their files (relative to `dir`), each file written once. */
export function applyOverrides(dir: string, overrides: Override[]): string[] {
  const byFile = new Map<string, Override[]>();
  for (const override of overrides)
    byFile.set(override.file, [...(byFile.get(override.file) ?? []), override]);
  const written: string[] = [];
  for (const [file, list] of byFile) {
    const absolute = path.resolve(dir, file);
    const extension = path.extname(file).toLowerCase();
    if (extension !== '.yaml' && extension !== '.yml') {
      throw new OverrideError(`-S ${list[0]!.text}: labkit edits YAML parameters files only, not '${file}'.`);
    }
    if (!fs.existsSync(absolute)) throw new OverrideError(`-S ${list[0]!.text}: '${file}' does not exist.`);
    const doc = YAML.parseDocument(fs.readFileSync(absolute, 'utf8'));
    for (const override of list) {
      const at = keyPath(override.key);
      const exists = doc.hasIn(at);
      if (override.operation === 'remove') {
        if (!exists)
          throw new OverrideError(
            `-S ${override.text}: there is no '${override.key}' in '${file}' to remove.`,
          );
        doc.deleteIn(at);
        continue;
      }
      if (override.operation === 'set' && !exists) {
        throw new OverrideError(
          `-S ${override.text}: there is no '${override.key}' in '${file}'. Use -S +${override.key}=${override.value} to add it.`,
        );
      }
      if (override.operation === 'add' && exists) {
        throw new OverrideError(
          `-S ${override.text}: '${override.key}' is already in '${file}'; drop the + to change it.`,
        );
      }
      const valueDoc = YAML.parseDocument(override.value ?? '');
      if (valueDoc.errors.length)
        throw new OverrideError(`-S ${override.text}: the value is not valid YAML.`);
      doc.setIn(at, valueDoc.contents);
    }
    fs.writeFileSync(absolute, doc.toString());
    written.push(absolute);
  }
  return written;
}

const valuesSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

const experimentSchema = z.object({
  name: z.string(),
  createdAt: z.number(),
  baseline: z.string().optional(),
  overrides: z.array(z.string()),
  params: valuesSchema,
  metrics: valuesSchema,
  /** Output hashes per stage: `{stage: {path: md5}}`. */
  outputs: z.record(z.string(), z.record(z.string(), z.string())),
});

export type Experiment = z.output<typeof experimentSchema>;

export function valuesToRecord(values: ValuesByFile): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    [...values].map(([file, flat]) => [
      file,
      Object.fromEntries([...flat].map(([key, value]) => [key, toPlain(value)])),
    ]),
  );
}

export class ExperimentStore {
  readonly file: string;

  constructor(repo: DvcRepo) {
    this.file = path.join(repo.labkitDir, 'experiments.jsonl');
  }

  list(): Experiment[] {
    const experiments: Experiment[] = [];
    if (!fs.existsSync(this.file)) return experiments;
    const journal = Journal.open<unknown>(this.file, (event) => {
      const parsed = experimentSchema.safeParse(event);
      if (parsed.success) experiments.push(parsed.data);
    });
    journal.close();
    return experiments;
  }

  add(experiment: Experiment): void {
    const journal = Journal.open<Experiment>(this.file, () => {});
    try {
      journal.append(experimentSchema.parse(experiment));
    } finally {
      journal.close();
    }
  }

  /** A fresh name, `exp-` and five hex digits, as DVC named experiments before word names. */
  newName(): string {
    const taken = new Set(this.list().map((experiment) => experiment.name));
    for (;;) {
      const name = `exp-${randomBytes(3).toString('hex').slice(0, 5)}`;
      if (!taken.has(name)) return name;
    }
  }
}

/**
 * The values `${}` can name, built as DVC builds its parsing context: `params.yaml` beside the
 * `dvc.yaml` first (when it exists), then each `vars` entry in order — a file (`config.yaml`, or
 * `config.yaml:train,eval` for some of its keys) or an inline mapping — then a stage's own `vars`.
 * Mappings merge key by key; giving one value twice is an error naming both sources, as DVC's
 * `cannot redefine 'x' from 'vars[0]' as it already exists in 'params.yaml'`.
 */
import path from 'node:path';
import { isPyMapping, type PyValue } from '../data/python-json';
import { InterpolationError, selectIn, type Lookup } from './interpolate';
import { ParamsFiles } from './params-files';

type Mapping = { [key: string]: PyValue };

function deepCopy(value: PyValue): PyValue {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (isPyMapping(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]));
  return value;
}

export class Context implements Lookup {
  private constructor(
    private data: Mapping,
    /** Where each value came from, by dotted key of its top-level entry. */
    private sources: Map<string, string>,
    /** Files loaded so far (absolute), with the keys taken from each (undefined: all of it). */
    private imports: Map<string, string[] | undefined>,
  ) {}

  static empty(): Context {
    return new Context({}, new Map(), new Map());
  }

  clone(): Context {
    return new Context(deepCopy(this.data) as Mapping, new Map(this.sources), new Map(this.imports));
  }

  select(expression: string): PyValue {
    return selectIn(this.data, expression);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.data, key);
  }

  /** Merges `values` in, refusing to overwrite a value some other source gave. */
  merge(values: Mapping, source: string, overwrite = false): void {
    const into = (target: Mapping, update: Mapping, prefix: string) => {
      for (const [key, value] of Object.entries(update)) {
        const dotted = prefix ? `${prefix}.${key}` : key;
        const existing = target[key];
        if (isPyMapping(existing) && isPyMapping(value)) {
          into(existing, value, dotted);
          continue;
        }
        if (Object.hasOwn(target, key) && !overwrite) {
          const from = this.sources.get(dotted.split('.')[0]!) ?? 'the context';
          throw new InterpolationError(
            `cannot redefine '${dotted}' from '${source}' as it already exists in '${from}'`,
          );
        }
        target[key] = deepCopy(value);
      }
    };
    into(this.data, values, '');
    for (const key of Object.keys(values)) if (!this.sources.has(key)) this.sources.set(key, source);
  }

  /**
   * Loads a `vars` file entry (`file` or `file:key1,key2`, relative to `wdir`); loading the same
   * whole file twice is allowed and does nothing, as in DVC.
   */
  mergeFile(entry: string, wdir: string, root: string, files: ParamsFiles): void {
    const colon = entry.lastIndexOf(':');
    const hasKeys = colon > 0 && !/^[a-zA-Z]:[\\/]/.test(entry);
    const relative = hasKeys ? entry.slice(0, colon) : entry;
    const keys = hasKeys
      ? entry
          .slice(colon + 1)
          .split(',')
          .map((key) => key.trim())
          .filter(Boolean)
      : undefined;
    const absolute = path.resolve(wdir, relative);
    const display = path.relative(root, absolute).split(path.sep).join('/');
    const loaded = this.imports.get(absolute);
    if (this.imports.has(absolute) && loaded === undefined && keys === undefined) return;
    const content = files.read(absolute, display);
    if (content === undefined) throw new InterpolationError(`'${display}' does not exist`);
    let values: Mapping = content;
    if (keys) {
      values = {};
      for (const key of keys) {
        const value = selectIn(content, key);
        const parts = key.split('.');
        let target = values;
        for (const part of parts.slice(0, -1)) {
          const next = isPyMapping(target[part]) ? (target[part] as Mapping) : {};
          target[part] = next;
          target = next;
        }
        target[parts.at(-1)!] = value;
      }
    }
    this.merge(values, display);
    this.imports.set(absolute, keys ? [...(loaded ?? []), ...keys] : undefined);
  }

  /** Runs `action` with `values` (`item`, `key`) set on top of the context, then removes them. */
  withTemporary<T>(values: Mapping, action: () => T): T {
    const saved = new Map<string, PyValue | undefined>();
    for (const [key, value] of Object.entries(values)) {
      saved.set(key, Object.hasOwn(this.data, key) ? this.data[key] : undefined);
      this.data[key] = value;
    }
    try {
      return action();
    } finally {
      for (const [key, value] of saved) {
        if (value === undefined) delete this.data[key];
        else this.data[key] = value;
      }
    }
  }
}

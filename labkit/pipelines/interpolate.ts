/**
 * `${}` in `dvc.yaml`, as DVC's `dvc/parsing/interpolate.py` resolves it:
 *
 * - `${train.lr}`, `${models[0].name}`, `${matrix.model}`: dotted and indexed paths into the
 *   context (params.yaml, `vars`, and `item`/`key` inside `foreach` and `matrix`);
 * - a string that is exactly one `${…}` takes the value itself (a number stays a number, a list
 *   a list: `foreach: ${datasets}`); otherwise values are written into the text as Python's
 *   `str()` writes them (`0.0`, `None`, booleans as `true`/`false`);
 * - inside `cmd`, a mapping becomes command-line flags: `${train}` with `{epochs: 5, lr: 0.1}` is
 *   `--epochs 5 --lr 0.1` (nested keys dotted, `true` as a bare flag, `false` left out, lists as
 *   `--key a b`, strings shell-quoted);
 * - `\${…}` is left as `${…}`.
 */
import { isPyMapping, numberOf, pythonNumberStr, type PyValue } from '../data/python-json';

export class InterpolationError extends Error {
  override name = 'InterpolationError';
}

const keyPattern = /(?<!\\)\$\{(.*?)\}/g;

/** Something `${…}` can be looked up in. */
export type Lookup = { select: (expression: string) => PyValue };

function pythonTypeName(value: PyValue): string {
  if (Array.isArray(value)) return 'list';
  if (isPyMapping(value)) return 'dict';
  return typeof value;
}

/** Python's `repr()` of a value, for the rare list written into text. */
function pythonRepr(value: PyValue): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (isPyMapping(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`)
      .join(', ')}}`;
  }
  return pythonNumberStr(value);
}

/** Python's `shlex.quote`. */
export function shellQuote(text: string): string {
  if (text === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}

/** Nested mappings as dotted keys (lists are values), as DVC's `flatten`. */
export function flatten(value: { [key: string]: PyValue }, prefix = ''): [string, PyValue][] {
  return Object.entries(value).flatMap(([key, item]) =>
    isPyMapping(item) && Object.keys(item).length > 0
      ? flatten(item, `${prefix}${key}.`)
      : [[`${prefix}${key}`, item] as [string, PyValue]],
  );
}

/** A mapping as command-line flags, DVC's default (`store_true` booleans, `nargs` lists). */
function toFlags(value: { [key: string]: PyValue }): string {
  let result = '';
  for (const [key, item] of flatten(value)) {
    if (typeof item === 'boolean') {
      if (item) result += `--${key} `;
    } else if (typeof item === 'string') {
      result += `--${key} ${shellQuote(item)} `;
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => {
        if (Array.isArray(element) || isPyMapping(element)) {
          throw new InterpolationError(`Cannot interpolate nested iterable in '${key}'`);
        }
        const text = typeof element === 'string' ? shellQuote(element) : toStr(element);
        result += index > 0 ? `${text} ` : `--${key} ${text} `;
      });
    } else {
      result += `--${key} ${toStr(item)} `;
    }
  }
  return result.trimEnd();
}

/** DVC's `to_str`: how a value is written into text. */
export function toStr(value: PyValue): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return value;
  if (value === null) return 'None';
  if (isPyMapping(value)) return toFlags(value);
  if (Array.isArray(value)) return pythonRepr(value);
  if (numberOf(value) !== undefined) return pythonNumberStr(value);
  return String(value);
}

/** `a.b[0]` → `a.b.0`, the form DVC looks values up by. */
export function normalizeKey(expression: string): string {
  return expression.replace(/\[/g, '.').replace(/\]/g, '');
}

/** Looks `expression` up in `data`: `Could not find 'x.y'` when it is not there. */
export function selectIn(data: PyValue, expression: string): PyValue {
  const parts = normalizeKey(expression).split('.');
  let current: PyValue = data;
  let walked = '';
  for (const rawPart of parts) {
    const part = rawPart.trim();
    if (Array.isArray(current)) {
      const index = Number(part);
      if (!/^-?\d+$/.test(part) || current[index < 0 ? current.length + index : index] === undefined) {
        throw new InterpolationError(`Could not find '${expression.trim()}'`);
      }
      current = current[index < 0 ? current.length + index : index]!;
    } else if (isPyMapping(current)) {
      if (!Object.hasOwn(current, part))
        throw new InterpolationError(`Could not find '${expression.trim()}'`);
      current = current[part]!;
    } else {
      throw new InterpolationError(`${walked} is a primitive value, cannot get '${part}'`);
    }
    walked = walked ? `${walked}.${part}` : part;
  }
  return current;
}

/**
 * Resolves the `${…}` of one string. `field` is the stage's key being resolved (`cmd`, `outs`…):
 * only `cmd` may write a mapping into text, and `foreach` may take any value.
 */
export function resolveString(text: string, context: Lookup, field?: string): PyValue {
  const matches = [...text.matchAll(keyPattern)];
  if (matches.length === 0) return text.replace(/\\\$\{/g, '${');
  if (matches.length === 1 && matches[0]![0] === text) return context.select(matches[0]![1]!);
  let result = '';
  let index = 0;
  for (const match of matches) {
    const value = context.select(match[1]!);
    const isPrimitive = value === null || !(Array.isArray(value) || isPyMapping(value));
    const mayWriteMapping = isPyMapping(value) && field === 'cmd';
    if (!isPrimitive && !mayWriteMapping && field !== undefined && !field.includes('foreach')) {
      throw new InterpolationError(`Cannot interpolate data of type '${pythonTypeName(value)}'`);
    }
    result += text.slice(index, match.index) + toStr(value);
    index = match.index! + match[0].length;
  }
  result += text.slice(index);
  return result.replace(/\\\$\{/g, '${');
}

/** Resolves every string (mapping keys included) inside a value. */
export function resolveValue(value: PyValue, context: Lookup, field?: string): PyValue {
  if (typeof value === 'string') return resolveString(value, context, field);
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, context, field));
  if (isPyMapping(value)) {
    const result: { [key: string]: PyValue } = {};
    for (const [key, item] of Object.entries(value)) {
      result[toStr(resolveString(key, context, field))] = resolveValue(item, context, field);
    }
    return result;
  }
  return value;
}

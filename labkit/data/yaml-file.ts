/**
 * YAML in and out as DVC reads and writes it (YAML 1.2, as ruamel.yaml), with Python's view of
 * numbers kept: `0.0` is read as a float (`PyFloat`), not the int `0`, and written back as `0.0`;
 * floats are written as Python writes them (`1e-05`). Output follows DVC's style: block style,
 * sequences not indented under their key, single quotes where quotes are needed, null as nothing.
 */
import YAML, { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { z } from 'zod';
import { PyFloat, pythonFloatRepr, type PyValue } from './python-json';

/** A YAML file that cannot be read, with the file and (when known) the line named. */
export class YamlFileError extends Error {
  override name = 'YamlFileError';
}

const floatSource = /[.eE]|inf|nan/i;

function toValue(node: unknown, doc: Document, file: string): PyValue {
  if (isAlias(node)) return toValue(node.resolve(doc), doc, file);
  if (isMap(node)) {
    const result: { [key: string]: PyValue } = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      result[key] = toValue(pair.value, doc, file);
    }
    return result;
  }
  if (isSeq(node)) return node.items.map((item) => toValue(item, doc, file));
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === 'number') {
      const isFloatText = node.source !== undefined && floatSource.test(node.source) && !/^0x/i.test(node.source);
      return Number.isInteger(value) && isFloatText ? new PyFloat(value) : value;
    }
    if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
    if (typeof value === 'bigint') return Number(value);
    throw new YamlFileError(`${file}: a value labkit cannot read (${String(value)}).`);
  }
  if (node === null || node === undefined) return null;
  throw new YamlFileError(`${file}: a YAML node labkit cannot read.`);
}

/** Parses YAML text into values; a syntax error names the file and line. */
export function parseYaml(text: string, file: string): PyValue {
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line;
    throw new YamlFileError(
      `${file}${line ? `, line ${line}` : ''}: not valid YAML (${error.message.split('\n')[0]}).`,
    );
  }
  return toValue(doc.contents, doc, file);
}

/** Python's `repr` of a float, as ruamel.yaml writes it (`.inf`, `.nan`). */
function yamlFloat(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  return pythonFloatRepr(value);
}

const floatTag = {
  identify: (value: unknown) =>
    value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value)),
  default: true,
  tag: 'tag:yaml.org,2002:float',
  // Writing only: reading keeps YAML's own float rule.
  test: /^(?!)$/,
  resolve: (source: string) => source,
  stringify: (item: { value: unknown }) =>
    yamlFloat(item.value instanceof PyFloat ? item.value.value : (item.value as number)),
};

/** Values as DVC's YAML (the `dvc.lock`, `.dvc` and params files it writes). */
export function dumpYaml(value: PyValue | Record<string, unknown>): string {
  return YAML.stringify(value, {
    customTags: (tags) => [floatTag, ...tags],
    singleQuote: true,
    indentSeq: false,
    nullStr: '',
    lineWidth: 80,
    minContentWidth: 0,
  });
}

/**
 * Checks a file's values against its schema; the first problem becomes a `YamlFileError` naming
 * the file and the field, e.g. `dvc.lock: field "stages.train.outs.0.md5": expected string`.
 */
export function validate<T extends z.ZodType>(schema: T, value: unknown, file: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  throw new YamlFileError(`${file}: ${field ? `field "${field}": ` : ''}${issue?.message ?? 'invalid'}.`);
}

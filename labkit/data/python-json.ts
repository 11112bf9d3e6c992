/**
 * Values as DVC's Python sees them, and their text as Python writes it. DVC hashes JSON text
 * (`json.dumps(obj, sort_keys=True)`: a directory's `.dir` listing, a stage's run-cache key) and
 * writes values into commands with Python's `str()`, so labkit must produce the same characters:
 * `0.0` stays `0.0` (not `0`), `1e-05` is not `0.00001`, non-ASCII text is `\uXXXX`-escaped and keys
 * are sorted by code point.
 *
 * JavaScript has one number type, so a float whose value is whole (`1.0` in YAML) is wrapped in a
 * `PyFloat` when read; every other number is an int when whole and a float otherwise.
 */

/** A Python float with a whole value (`1.0`, `-0.0`), kept apart from the int `1`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyValue = null | boolean | number | string | PyFloat | PyValue[] | { [key: string]: PyValue };

export function isPyMapping(value: unknown): value is { [key: string]: PyValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof PyFloat);
}

/** The number a value holds, for an int, a float or a `PyFloat`; undefined for anything else. */
export function numberOf(value: PyValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof PyFloat) return value.value;
  return undefined;
}

/** Python's `repr(float)`: the shortest digits that round-trip, positional from 1e-4 to 1e16. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument gives the shortest round-trip digits, as Python's repr.
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const power = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${power}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

/** Python's `str()` of a number value: ints as digits, floats as `repr(float)`. */
export function pythonNumberStr(value: number | PyFloat): string {
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
}

/** A UTF-16 unit's rank in code-point order: surrogates (astral characters) after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

/** Code-point order, as Python sorts strings (JavaScript's default compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

const shortEscapes: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

const needsEscape = /["\\\u0000-\u001f\u007f-\uffff]/;
const escapable = /["\\\u0000-\u001f\u007f-\uffff]/g;

/** A JSON string as Python's `json.dumps` writes it with `ensure_ascii=True`. */
export function pythonJsonString(text: string): string {
  if (!needsEscape.test(text)) return `"${text}"`;
  return `"${text.replace(escapable, (char) => shortEscapes[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** `json.dumps(value, sort_keys=True)` as Python writes it (separators `", "` and `": "`). */
export function pythonJsonDumps(value: PyValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'number' || value instanceof PyFloat) {
    const number = numberOf(value)!;
    if (Number.isNaN(number)) return 'NaN';
    if (number === Infinity) return 'Infinity';
    if (number === -Infinity) return '-Infinity';
    return pythonNumberStr(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  return `{${keys.map((key) => `${pythonJsonString(key)}: ${pythonJsonDumps(value[key]!)}`).join(', ')}}`;
}

/** Python's `==` between two values: `1 == 1.0`, dicts by keys whatever their order. */
export function pyEquals(a: PyValue | undefined, b: PyValue | undefined): boolean {
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== undefined || y !== undefined) return x !== undefined && y !== undefined && x === y;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => pyEquals(item, b[i]))
    );
  }
  if (isPyMapping(a) || isPyMapping(b)) {
    if (!isPyMapping(a) || !isPyMapping(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && pyEquals(a[key], b[key]));
  }
  return a === b;
}

/** Plain JSON-able data (a `PyFloat` becomes its number), for `--json` output. */
export function toPlain(value: PyValue): unknown {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (isPyMapping(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  return value;
}

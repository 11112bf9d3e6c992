/**
 * How MLflow's protobuf JSON writes single values, read the same way by labkit's server and by
 * both clients: int64 as a number or a decimal string, doubles with `"NaN"`, `"Infinity"` and
 * `"-Infinity"`, `null` for a field that is not set, and, in a query string, a list as a
 * repeated key (so one value arrives as a plain string).
 */
import * as z from 'zod';

/** An int64: a JSON number or a decimal string (query strings only have strings); a number out. */
export const int64 = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

/** A double as MLflow writes it: non-finite values become "NaN", "Infinity" or "-Infinity". */
export function encodeDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/**
 * A double from a number, "NaN", "Infinity", "-Infinity" or a decimal string (protobuf JSON reads
 * quoted numbers too); `undefined` for anything else.
 */
export function decodeDouble(value: number | string): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  const parsed = Number(value);
  return value.trim() === '' || Number.isNaN(parsed) ? undefined : parsed;
}

/** A double field; an unreadable one is refused with a complete sentence as the issue's message. */
export const double = z.union([z.number(), z.string()]).transform((value, context) => {
  const decoded = decodeDouble(value);
  if (decoded !== undefined) return decoded;
  context.issues.push({ code: 'custom', message: `Invalid double value '${value}'.`, input: value });
  return z.NEVER;
});

/** A field that may be left out or sent as `null`: protobuf JSON reads both as "not set". */
export function optionalField<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

/** A repeated field in a reply: MLflow leaves an empty list out. */
export function listOf<T extends z.ZodType>(schema: T) {
  return z.array(schema).default(() => []);
}

/** A string that must be there and not be empty. */
export const requiredString = z.string().min(1);

/** A repeated string field in a request: a JSON list, or one query-string value. */
export const stringList = z.union([z.string().transform((value) => [value]), z.array(z.string())]);

/** A bool in a request: JSON `true`/`false`, or the same words in a query string. */
export const booleanField = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((value) => value === 'true'),
]);

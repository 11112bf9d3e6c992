import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { booleanField, decodeDouble, double, encodeDouble, int64, optionalField, stringList } from './codecs';
import { parseJson, queryOf, toJson } from './endpoint';

describe('int64', () => {
  it('reads a whole number or a decimal string as a number, and refuses anything else', () => {
    expect(int64.parse(1700000000000)).toBe(1_700_000_000_000);
    expect(int64.parse('1700000000000')).toBe(1_700_000_000_000);
    expect(int64.parse('-3')).toBe(-3);
    for (const bad of [1.5, '1.5', '12a', '', true])
      expect(int64.safeParse(bad).success, String(bad)).toBe(false);
  });
});

describe('doubles', () => {
  it('writes non-finite values as MLflow does and leaves finite ones as numbers', () => {
    expect([NaN, Infinity, -Infinity, 0.25].map(encodeDouble)).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
      0.25,
    ]);
  });

  it('reads numbers, "NaN", "Infinity", "-Infinity" and decimal strings', () => {
    expect(decodeDouble('NaN')).toBeNaN();
    expect(decodeDouble('Infinity')).toBe(Infinity);
    expect(decodeDouble('-Infinity')).toBe(-Infinity);
    expect(decodeDouble('0.5')).toBe(0.5);
    expect(decodeDouble(2)).toBe(2);
    expect(decodeDouble('abc')).toBeUndefined();
    expect(decodeDouble(' ')).toBeUndefined();
  });

  it('refuses an unreadable double with a whole sentence, at the field', () => {
    const result = z.object({ value: double }).safeParse({ value: 'abc' });
    expect(result.error?.issues).toMatchObject([
      { code: 'custom', path: ['value'], message: "Invalid double value 'abc'." },
    ]);
  });
});

describe('request fields', () => {
  it('reads null as unset, as protobuf JSON does', () => {
    const schema = z.object({ run_name: optionalField(z.string()) });
    expect(schema.parse({ run_name: null })).toEqual({ run_name: undefined });
    expect(schema.parse({})).toEqual({});
    expect(schema.parse({ run_name: 'a' })).toEqual({ run_name: 'a' });
  });

  it('reads a list from JSON or from one query-string value, and a bool from either', () => {
    expect(stringList.parse('a')).toEqual(['a']);
    expect(stringList.parse(['a', 'b'])).toEqual(['a', 'b']);
    expect([true, 'true', 'false'].map((value) => booleanField.parse(value))).toEqual([true, true, false]);
    expect(booleanField.safeParse('yes').success).toBe(false);
  });

  it('writes fields as a query string with lists as repeated keys, leaving unset ones out', () => {
    expect(String(queryOf({ run_id: 'r', stages: ['Staging', 'Production'], path: undefined, n: 3 }))).toBe(
      'run_id=r&stages=Staging&stages=Production&n=3',
    );
  });
});

describe('JSON', () => {
  it('accepts bare NaN and Infinity in a reply, as Python’s json module writes them', () => {
    expect(parseJson('{"value": NaN, "list": [Infinity, -Infinity, 1]}')).toEqual({
      value: 'NaN',
      list: ['Infinity', '-Infinity', 1],
    });
    expect(parseJson('')).toEqual({});
    expect(() => parseJson('{oops')).toThrow();
  });

  it('writes non-finite numbers as MLflow’s strings instead of null', () => {
    expect(toJson({ metrics: [{ value: NaN }, { value: -Infinity }, { value: 1 }] })).toBe(
      '{"metrics":[{"value":"NaN"},{"value":"-Infinity"},{"value":1}]}',
    );
  });
});

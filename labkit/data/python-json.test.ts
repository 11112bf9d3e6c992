import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, pyEquals, PyFloat, pythonFloatRepr, pythonJsonDumps } from './python-json';

function python(expression: string): string {
  return execFileSync('python3', ['-c', `import json, sys; sys.stdout.write(${expression})`], { encoding: 'utf8' });
}

describe('Python float repr', () => {
  it('writes floats as Python does', () => {
    const samples = [0.1, 0.2, 1e-5, 0.0001, 1e16, 1.5e16, 123456789.123, -2.5, 1 / 3, 2e-7, 1e22, 5e-324];
    const expected = python(`" ".join(repr(x) for x in [${samples.map((x) => x.toExponential()).join(', ')}])`);
    expect(samples.map(pythonFloatRepr).join(' ')).toBe(expected);
    expect(pythonFloatRepr(0)).toBe('0.0');
    expect(pythonFloatRepr(20170428)).toBe('20170428.0');
    expect(pythonFloatRepr(Infinity)).toBe('inf');
  });
});

describe('json.dumps(sort_keys=True)', () => {
  it('matches Python for nested values, floats kept apart from ints, and non-ASCII text', () => {
    const value = {
      zeta: [1, new PyFloat(1), 0.5, null, true, false],
      alpha: { 'é': 'naïve "quoted" \\ back\nslash\t\u0001', '🙂': 'emoji' },
      Beta: 'tilde ~ and del \u007f',
    };
    const expected = python(
      `json.dumps({"zeta": [1, 1.0, 0.5, None, True, False], "alpha": {"\\u00e9": "na\\u00efve \\"quoted\\" \\\\ back\\nslash\\t\\u0001", "\\U0001f642": "emoji"}, "Beta": "tilde ~ and del \\u007f"}, sort_keys=True)`,
    );
    expect(pythonJsonDumps(value)).toBe(expected);
  });

  it('sorts keys by code point, as Python does (not by UTF-16 unit)', () => {
    expect(['\uffff', '🙂', 'a'].sort(compareCodePoints)).toEqual(['a', '\uffff', '🙂']);
  });
});

describe('Python equality', () => {
  it('treats 1 and 1.0 as equal and compares mappings whatever their order', () => {
    expect(pyEquals(1, new PyFloat(1))).toBe(true);
    expect(pyEquals({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(pyEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(pyEquals('1', 1)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { parseConfig, renderConfig } from './config';
import { isIgnored, parseIgnore } from './ignore';
import { PyFloat } from './python-json';
import { dumpYaml, parseYaml } from './yaml-file';

describe('YAML with Python numbers', () => {
  it('reads 0.0 and 1e3 as floats and 2 as an int, and writes them back as Python would', () => {
    const value = parseYaml('a: 0.0\nb: 2\nc: 1e3\nd: 0.5\ne: .inf\nf: True\ng: null\n', 'params.yaml');
    expect(value).toEqual({ a: new PyFloat(0), b: 2, c: new PyFloat(1000), d: 0.5, e: Infinity, f: true, g: null });
    expect(dumpYaml(value)).toBe('a: 0.0\nb: 2\nc: 1000.0\nd: 0.5\ne: .inf\nf: true\ng:\n');
  });

  it("writes in DVC's style: sequences under their key, single quotes, 1e-05 as Python", () => {
    expect(dumpYaml({ schema: '2.0', outs: [{ path: 'a b', lr: 1e-5 }] })).toBe(
      "schema: '2.0'\nouts:\n- path: a b\n  lr: 1e-05\n",
    );
  });
});

describe('.dvc/config', () => {
  it("reads configobj's sections, quoted or not, and writes [core] first", () => {
    const sections = parseConfig("['remote \"s\"']\n    url = /srv/s\n[core]\n    remote = s\n", 'config');
    expect(sections.get('remote "s"')?.get('url')).toBe('/srv/s');
    expect(renderConfig(sections)).toBe("[core]\n    remote = s\n['remote \"s\"']\n    url = /srv/s\n");
  });

  it('names the line it cannot read', () => {
    expect(() => parseConfig('[core]\nremote\n', '.dvc/config')).toThrow('.dvc/config, line 2');
  });
});

describe('.dvcignore', () => {
  const rules = parseIgnore('# comment\n*.tmp\n/build/\ncache/**/*.bin\n!keep.tmp\n');

  it('follows gitignore rules: globs at any depth, anchors, folders only, negation', () => {
    expect(isIgnored(rules, 'a/b/x.tmp', false)).toBe(true);
    expect(isIgnored(rules, 'keep.tmp', false)).toBe(false);
    expect(isIgnored(rules, 'build', true)).toBe(true);
    expect(isIgnored(rules, 'build/out.txt', false)).toBe(true);
    expect(isIgnored(rules, 'src/build', true)).toBe(false);
    expect(isIgnored(rules, 'build', false)).toBe(false);
    expect(isIgnored(rules, 'cache/x/y/z.bin', false)).toBe(true);
    expect(isIgnored(rules, 'cache/z.bin', false)).toBe(true);
    expect(isIgnored(rules, 'data.csv', false)).toBe(false);
  });
});

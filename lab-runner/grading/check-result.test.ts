import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../drivers/driver';
import { parseCheckOutput } from './check-result';

const exec = (over: Partial<ExecResult>): ExecResult => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  timedOut: false,
  truncated: false,
  ...over,
});
const limits = { timeoutSeconds: 30 };

describe('parseCheckOutput', () => {
  it('reads a result with its details', () => {
    const stdout = JSON.stringify({
      status: 'fail',
      message: 'metrics.json has mae 4.2, expected the same value in both runs.',
      details: [
        { name: 'model hash', status: 'pass', message: 'identical' },
        { name: 'mae', status: 'fail', message: '4.2 vs 4.3' },
      ],
    });
    expect(parseCheckOutput(exec({ stdout }), limits)).toEqual({
      status: 'fail',
      message: 'metrics.json has mae 4.2, expected the same value in both runs.',
      details: [
        { name: 'model hash', status: 'pass', message: 'identical' },
        { name: 'mae', status: 'fail', message: '4.2 vs 4.3' },
      ],
    });
  });

  it('takes the last line when debug output comes first, whatever the exit status', () => {
    const stdout = 'loading…\n{"status":"pass","message":"All good."}\n';
    expect(parseCheckOutput(exec({ stdout, exitCode: 1 }), limits)).toMatchObject({
      status: 'pass',
      message: 'All good.',
      details: [],
    });
  });

  it('turns garbage stdout into an error for the learner, with diagnostics for the author', () => {
    const result = parseCheckOutput(exec({ stdout: 'hello world\n', stderr: 'warning: x' }), limits);
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/not a result object.*problem with the lab, not with your work/);
    expect(result.diagnostics).toContain('hello world');
    expect(result.diagnostics).toContain('warning: x');
  });

  it('treats a result of the wrong shape as garbage', () => {
    for (const stdout of [
      '{"status":"passed","message":"x"}',
      '{"status":"pass"}',
      '{"status":"pass","message":"  "}',
      '[1,2]',
    ]) {
      expect(parseCheckOutput(exec({ stdout }), limits).status, stdout).toBe('error');
    }
  });

  it('reports a crash (non-zero exit, no result) without showing the traceback to the learner', () => {
    const stderr =
      'Traceback (most recent call last):\n  File "check.py", line 3\n    EXPECTED = 42\nValueError: boom';
    const result = parseCheckOutput(exec({ exitCode: 1, stderr }), limits);
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/exited with status 1/);
    expect(result.message).not.toMatch(/EXPECTED|42|Traceback/);
    expect(result.diagnostics).toMatch(/ValueError: boom/);
  });

  it('keeps the traceback of a check that reported its own crash as an error', () => {
    const result = parseCheckOutput(
      exec({
        stdout: '{"status":"error","message":"The check could not run."}',
        stderr: 'Traceback…\nKeyError: x',
      }),
      limits,
    );
    expect(result).toMatchObject({ status: 'error', message: 'The check could not run.' });
    expect(result.diagnostics).toMatch(/KeyError: x/);
  });

  it('reports a check that timed out, even if it printed a result first', () => {
    const result = parseCheckOutput(
      exec({ timedOut: true, exitCode: 124, stdout: '{"status":"pass","message":"x"}' }),
      limits,
    );
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/did not finish within 30 seconds/);
  });

  it('reports a check that printed nothing, or far too much', () => {
    expect(parseCheckOutput(exec({}), limits).message).toMatch(/printed nothing/);
    expect(parseCheckOutput(exec({ truncated: true, stdout: 'x'.repeat(100) }), limits).message).toMatch(
      /far more than a result/,
    );
  });

  it('trims over-long messages, cuts extra details and forgives empty detail texts', () => {
    const stdout = JSON.stringify({
      status: 'fail',
      message: 'Fix the thing.',
      details: [
        { name: '', status: 'fail', message: '' },
        ...Array.from({ length: 60 }, (_, i) => ({ name: `d${i}`, status: 'fail' })),
      ],
    });
    const result = parseCheckOutput(exec({ stdout }), limits);
    expect(result.status).toBe('fail');
    expect(result.details).toHaveLength(50);
    expect(result.details[0]).toEqual({ name: 'check', status: 'fail', message: undefined });
    const ok = JSON.stringify({ status: 'fail', message: 'm'.repeat(5000) });
    expect(parseCheckOutput(exec({ stdout: ok }), limits).message).toHaveLength(1000);
  });
});

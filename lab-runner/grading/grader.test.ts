/**
 * gradeStep over the fake driver: which execs a grading makes, in which order, as whom and with
 * what, and that the learner's processes are thawed whatever happens. The scripts themselves are
 * tested in real sandboxes (tests/integration/grading.test.ts, tests/security/grader-clean-room.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import type { ExecRequest, ExecResult } from '../drivers/driver';
import { LabCatalog } from '../labs';
import { testManagers } from '../sessions/test-kit';
import { graderPath } from './clean-room';
import { gradeStep } from './grader';

const newDir = tempDirsForEachTest('academy-grader-');
const makeManager = testManagers();
const labId = 'challenge-lab';

/** A lab whose one step has a learner run, a grader run and another learner run. */
function challengeLab(): LabCatalog {
  const labsDir = newDir();
  const files: Record<string, string> = {
    'lab.yaml': stringify({
      id: labId,
      title: 'Challenge lab',
      summary: 'A lab for the grader tests.',
      chapter: '01-intro',
      minutes: 5,
      steps: [
        {
          id: 'predict',
          title: 'Predict',
          body: 'steps/01.mdx',
          check: 'checks/compare.py',
          runs: [
            'python3 train.py',
            { script: 'checks/make_challenge.py', as: 'grader' },
            'python3 predict.py "$ACADEMY_CHALLENGE/orders.csv"',
          ],
          timeoutSeconds: 5,
          solution: 'solution/01',
        },
      ],
    }),
    'steps/01.mdx': 'Predict.\n',
    'checks/compare.py': 'print("compare")\n',
    'checks/make_challenge.py': 'print("challenge")\n',
    'checks/expectations.py': 'EXPECTED = 1\n',
    'solution/01/predict.py': 'print(1)\n',
    'workspace/train.py': 'print("train")\n',
  };
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(labsDir, labId, file)), { recursive: true });
    fs.writeFileSync(path.join(labsDir, labId, file), content);
  }
  return new LabCatalog(labsDir);
}

type Seen = { kind: string; user: string; request: ExecRequest; stdin: Record<string, unknown> };

/** Tells the runner's sandbox programs apart by what each exec starts. */
function kindOf(request: ExecRequest, stdin: Record<string, unknown>): string {
  const source = request.cmd.join('\n');
  if (source.includes('def freeze(')) return `pause:${String(stdin.action)}`;
  if (source.includes('def prepare(number')) return 'learner-run';
  if (source.includes('PYTHON_BOOTSTRAP')) return `clean-room:${String(stdin.program)}`;
  return request.cmd[0] ?? '';
}

const pauseReply = JSON.stringify({
  ok: true,
  nowMs: Date.now(),
  snapshot: [[12, 3400]],
  selfStopped: [],
  spared: [],
});

/** A manager over the challenge lab whose fake sandbox answers each program; what it saw, in order. */
async function grading(
  answer: (kind: string, stdin: Record<string, unknown>) => Partial<ExecResult> = () => ({}),
) {
  const labs = challengeLab();
  const t = makeManager({ labs });
  const { session } = await t.manager.create('learner-1', labId);
  const seen: Seen[] = [];
  t.driver.onExec((_id, request) => {
    const stdin = request.stdin?.length
      ? (JSON.parse(request.stdin.toString()) as Record<string, unknown>)
      : {};
    const kind = kindOf(request, stdin);
    seen.push({ kind, user: request.user, request, stdin });
    const defaults: Partial<ExecResult> = kind.startsWith('pause:')
      ? { stdout: pauseReply }
      : kind === 'clean-room:compare.py'
        ? { stdout: '{"status": "pass", "message": "Predictions match."}' }
        : { stdout: `${kind} output\n` };
    return { ...defaults, ...answer(kind, stdin) };
  });
  const run = () => gradeStep({ sessions: t.manager, labs }, session.id, 'predict');
  return { run, seen };
}

describe('gradeStep', () => {
  it('freezes the learner, runs each run as its user, settles before each grader process, checks, then thaws', async () => {
    const { run, seen } = await grading();
    const result = await run();
    expect(result).toMatchObject({ stepId: 'predict', status: 'pass', message: 'Predictions match.' });
    expect(seen.map(({ kind, user }) => `${kind} as ${user}`)).toEqual([
      'pause:freeze as learner',
      'learner-run as learner',
      'pause:settle as learner',
      'clean-room:make_challenge.py as grader',
      'learner-run as learner',
      'pause:settle as learner',
      'clean-room:compare.py as grader',
      'pause:thaw as learner',
    ]);
  });

  it('gives each learner run a fresh folder and the challenge, keeping the tail of its output', async () => {
    const { run, seen } = await grading();
    await run();
    const [first, second] = seen.filter((s) => s.kind === 'learner-run').map((s) => s.request);
    expect(first!.cmd.slice(-5)).toEqual(['1', '1', 'bash', '-c', 'python3 train.py']);
    expect(second!.cmd.slice(-5)).toEqual([
      '3',
      '0',
      'bash',
      '-c',
      'python3 predict.py "$ACADEMY_CHALLENGE/orders.csv"',
    ]);
    const challenge = seen.find((s) => s.kind === 'clean-room:compare.py')!.stdin.env as Record<
      string,
      string
    >;
    expect(first!.env).toEqual({ ACADEMY_CHALLENGE: challenge.ACADEMY_CHALLENGE });
    expect(challenge.ACADEMY_CHALLENGE).toMatch(/^\/tmp\/academy-challenge-[0-9a-f]{32}$/);
    expect(first).toMatchObject({
      user: 'learner',
      timeoutMs: 5000,
      keep: 'tail',
      outputLimitBytes: 64 * 1024,
    });
  });

  it('starts grader processes with an empty environment, sending files and secrets on stdin only', async () => {
    const { run, seen } = await grading();
    await run();
    const check = seen.find((s) => s.kind === 'clean-room:compare.py')!;
    expect(check.request.cmd.slice(0, 8)).toEqual([
      '/usr/bin/env',
      '-i',
      `PATH=${graderPath}`,
      'LANG=C.UTF-8',
      '/usr/bin/python3',
      '-I',
      '-S',
      '-c',
    ]);
    expect(check.request).toMatchObject({ user: 'grader', workingDir: '/', timeoutMs: 5000 });
    const env = check.stdin.env as Record<string, string>;
    expect(env).toMatchObject({ PATH: graderPath, ACADEMY_WORKSPACE: '/home/learner/work' });
    expect(env.ACADEMY_PROBE_SEED).toMatch(/^[0-9a-f]{64}$/);
    expect(check.stdin.room).toMatch(/^\/tmp\/academy-grader-[0-9a-f]{32}$/);
    expect(Object.keys(check.stdin.files as object).sort()).toEqual([
      'academy_check.py',
      'academy_tracking.py',
      'compare.py',
      'expectations.py',
      'make_challenge.py',
      'runs.json',
    ]);
    const argv = check.request.cmd.join(' ');
    expect(argv).not.toContain(env.ACADEMY_PROBE_SEED);
    expect(argv).not.toContain(check.stdin.room as string);
    // One room for the grading, removed by the check only.
    const graderRun = seen.find((s) => s.kind === 'clean-room:make_challenge.py')!;
    expect(graderRun.stdin).toMatchObject({ room: check.stdin.room, last: false });
    expect(check.stdin.last).toBe(true);
  });

  it('writes runs.json from the execs it made: who ran, where, the status and a timeout', async () => {
    const { run, seen } = await grading((kind) =>
      kind === 'learner-run' ? { exitCode: 124, timedOut: true, stderr: 'slow\n' } : {},
    );
    await run();
    const check = seen.find((s) => s.kind === 'clean-room:compare.py')!;
    const runs = JSON.parse((check.stdin.files as Record<string, string>)['runs.json']!) as Record<
      string,
      unknown
    >[];
    expect(runs.map(({ as, command, dir }) => ({ as, command, dir }))).toEqual([
      { as: 'learner', command: 'python3 train.py', dir: '/tmp/academy-runs/1' },
      { as: 'grader', command: 'python3 checks/make_challenge.py', dir: `${String(check.stdin.room)}/files` },
      {
        as: 'learner',
        command: 'python3 predict.py "$ACADEMY_CHALLENGE/orders.csv"',
        dir: '/tmp/academy-runs/3',
      },
    ]);
    expect(runs[1]).toMatchObject({
      exitCode: 0,
      timedOut: false,
      stdout: 'clean-room:make_challenge.py output\n',
    });
    // The fake answers at once: `timeout`'s 124 before the time limit is the program's own status.
    expect(runs[0]).toMatchObject({ exitCode: 124, timedOut: false, stderr: 'slow\n' });
  });

  it('records a run whose folder could not be made as not started', async () => {
    const { run, seen } = await grading((kind) =>
      kind === 'learner-run'
        ? { exitCode: 125, stderr: 'academy-runs: could not copy the workspace: No space left on device\n' }
        : {},
    );
    await run();
    const files = seen.find((s) => s.kind === 'clean-room:compare.py')!.stdin.files as Record<string, string>;
    expect(JSON.parse(files['runs.json']!)[0]).toMatchObject({
      exitCode: null,
      error: 'could not copy the workspace: No space left on device',
    });
  });

  it('answers error, and still thaws, when the learner processes will not stop', async () => {
    const { run, seen } = await grading((kind) =>
      kind === 'pause:freeze'
        ? {
            stdout: JSON.stringify({
              ok: false,
              nowMs: 1,
              snapshot: [[12, 3400]],
              problem: '3 learner processes did not stop',
            }),
          }
        : {},
    );
    const result = await run();
    expect(result).toMatchObject({ status: 'error', diagnostics: '3 learner processes did not stop' });
    expect(result.message).toMatch(/could not be paused/);
    expect(seen.map((s) => s.kind)).toEqual(['pause:freeze', 'pause:thaw']);
    expect(seen[1]!.stdin.snapshot).toEqual([[12, 3400]]);
  });

  it('continues every stopped learner process when the freeze answered nothing readable', async () => {
    const { run, seen } = await grading((kind) =>
      kind === 'pause:freeze' ? { stdout: '', exitCode: 137 } : {},
    );
    expect((await run()).status).toBe('error');
    expect(seen.at(-1)).toMatchObject({ kind: 'pause:thaw', stdin: { action: 'thaw', snapshot: null } });
  });

  it('answers error when the clean room refuses, removing the room it may have left', async () => {
    const { run, seen } = await grading((kind) =>
      kind === 'clean-room:make_challenge.py'
        ? { exitCode: 97, stderr: 'academy-clean-room: learner processes are running: [40]\n' }
        : {},
    );
    const result = await run();
    expect(result).toMatchObject({ status: 'error' });
    expect(result.diagnostics).toMatch(/refused to start make_challenge\.py: learner processes are running/);
    expect(seen.map((s) => s.kind).slice(-2)).toEqual(['pause:thaw', '/usr/bin/env']);
    expect(seen.at(-1)!.request.cmd).toContain('/bin/rm');
  });

  it('thaws the learner when the sandbox fails in the middle of a grading', async () => {
    const { run, seen } = await grading((kind) => {
      if (kind === 'clean-room:compare.py') throw new Error('engine gone');
      return {};
    });
    await expect(run()).rejects.toThrow('engine gone');
    expect(seen.map((s) => s.kind).slice(-2)).toEqual(['pause:thaw', '/usr/bin/env']);
  });

  it('grades one step of a sandbox at a time', async () => {
    const { run, seen } = await grading();
    await Promise.all([run(), run()]);
    const kinds = seen.map((s) => s.kind);
    expect(kinds.indexOf('pause:thaw')).toBeLessThan(kinds.lastIndexOf('pause:freeze'));
  });
});

/**
 * The lab self-test's cheat phase against a real sandbox: the fixture lab cheat-cases has one step
 * and three cheats, one caught on the detail it names, one caught on another detail only and one
 * the check passes. Only the first is a verdict as expected.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCheats } from '@/lab-runner/api/cheat-loader';
import { loadLab } from '@/lab-runner/api/lab-loader';
import { verifyLab } from '@/lab-runner/grading/verify-lab';
import type { StepVerdict } from '@/lab-runner/grading/verdicts';
import { fixtureLabsDir, startTestRunner, type TestRunner } from '@/tests/support/runner';

let t: TestRunner;

beforeAll(async () => {
  t = await startTestRunner();
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

it('passes the starter and solution phases, then judges each cheat by the detail it names', async () => {
  const lab = loadLab('cheat-cases', { labsDir: fixtureLabsDir, root: path.dirname(fixtureLabsDir) });
  const cheats = loadCheats(lab);
  const { sessions } = t.runner;
  // What each cheat's sandbox holds outside the workspace when it is graded: only the cheat with a
  // setup has its planted helper, so no cheat inherits another's state.
  const stateAtGrading: Record<string, string> = {};
  const inspect = async (verdict: StepVerdict) => {
    if (verdict.phase !== 'cheat') return;
    const [session] = sessions.list();
    const exec = await sessions.exec(session!.id, {
      cmd: ['bash', '-c', 'ls ~/.local/bin 2>/dev/null; cat count.py | head -1'],
      user: 'learner',
      timeoutMs: 10_000,
      outputLimitBytes: 4096,
    });
    stateAtGrading[verdict.cheat.name] = exec.stdout.trim();
  };
  const verdicts = await verifyLab({ sessions, labs: t.runner.labs }, lab, cheats, inspect);

  const summary = (v: StepVerdict) =>
    v.phase === 'cheat'
      ? { phase: `cheat:${v.cheat.name}`, status: v.result?.status, unprepared: v.unprepared, ok: v.ok }
      : { phase: v.phase, status: v.result.status, ok: v.ok };
  expect(verdicts.map(summary)).toEqual([
    { phase: 'starter', status: 'fail', ok: true },
    { phase: 'solution', status: 'pass', ok: true },
    { phase: 'cheat:fixed-count', status: 'fail', unprepared: undefined, ok: true },
    { phase: 'cheat:planted-helper', status: 'pass', unprepared: undefined, ok: false },
    { phase: 'cheat:prints-only', status: 'fail', unprepared: undefined, ok: false },
  ]);

  const details = (name: string) => {
    const verdict = verdicts.find((v) => v.phase === 'cheat' && v.cheat.name === name);
    return verdict?.result?.details.map((d) => [d.name, d.status]);
  };
  expect(details('fixed-count')).toEqual([
    ['prints the count', 'fail'],
    ['writes count.txt', 'fail'],
  ]);
  // Caught, but on "writes count.txt", not on the "prints the count" the cheat names.
  expect(details('prints-only')).toEqual([
    ['prints the count', 'pass'],
    ['writes count.txt', 'fail'],
  ]);
  expect(stateAtGrading).toEqual({
    'fixed-count': '"""Cheat: a count that looked right once, whatever the file."""',
    'planted-helper':
      'count-lines\n"""Cheat: the count comes from a program the setup planted in ~/.local/bin."""',
    'prints-only': '"""Cheat: the right count on the screen, no count.txt."""',
  });
  expect(sessions.list()).toEqual([]);
}, 300_000);

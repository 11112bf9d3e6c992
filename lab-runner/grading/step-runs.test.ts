import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import type { Lab } from '../api/lab-loader';
import { stepRun } from './step-runs';

const newDir = tempDirsForEachTest('academy-step-runs-');

/** A lab folder holding `files`; stepRun only needs the lab's folder. */
function labWith(files: Record<string, string>): Lab {
  const dir = newDir();
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return { dir } as Lab;
}

describe('stepRun', () => {
  it('runs a command as the learner with bash -c and shows it as written', () => {
    const command = 'python3 train.py --model boosting && python3 register_best.py';
    expect(stepRun(labWith({}), command)).toEqual({ as: 'learner', command, argv: ['bash', '-c', command] });
  });

  it('runs a learner Python script from its content with python3 -c and shows it as python3 <script>', () => {
    const content = 'print("ACADEMY_DECOY=none")\n';
    const lab = labWith({ 'checks/offer_worse_challenger.py': content });
    expect(stepRun(lab, { script: 'checks/offer_worse_challenger.py', as: 'learner' })).toEqual({
      as: 'learner',
      command: 'python3 checks/offer_worse_challenger.py',
      argv: ['python3', '-c', content],
    });
  });

  it('runs a learner shell script from its content with bash -c, naming it as $0 for its error lines', () => {
    const content = 'echo "ACADEMY_READY=1"\n';
    const lab = labWith({ 'checks/prepare.sh': content });
    expect(stepRun(lab, { script: 'checks/prepare.sh', as: 'learner' })).toEqual({
      as: 'learner',
      command: 'bash checks/prepare.sh',
      argv: ['bash', '-c', content, 'checks/prepare.sh'],
    });
  });

  it('runs a grader script by its path among the checks, never passing its content along', () => {
    const lab = labWith({ 'checks/make_challenge.py': 'SECRET = 1\n' });
    expect(stepRun(lab, { script: 'checks/make_challenge.py', as: 'grader' })).toEqual({
      as: 'grader',
      command: 'python3 checks/make_challenge.py',
      program: 'make_challenge.py',
    });
  });

  it('reads a learner script when the step is checked, so an edit needs no restart', () => {
    const lab = labWith({ 'checks/prepare.py': 'print(1)\n' });
    const run = { script: 'checks/prepare.py', as: 'learner' } as const;
    expect(stepRun(lab, run)).toMatchObject({ argv: ['python3', '-c', 'print(1)\n'] });
    fs.writeFileSync(path.join(lab.dir, 'checks/prepare.py'), 'print(2)\n');
    expect(stepRun(lab, run)).toMatchObject({ argv: ['python3', '-c', 'print(2)\n'] });
  });
});

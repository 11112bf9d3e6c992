import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import type { Lab } from '../api/lab-loader';
import { learnerRun } from './grader';

const newDir = tempDirsForEachTest('academy-grader-');

/** A lab folder holding `files`; learnerRun only needs the lab's folder. */
function labWith(files: Record<string, string>): Lab {
  const dir = newDir();
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return { dir } as Lab;
}

describe('learnerRun', () => {
  it('runs a command with bash -c and shows it as written', () => {
    const command = 'python3 train.py --model boosting && python3 register_best.py';
    expect(learnerRun(labWith({}), command)).toEqual({ command, argv: ['bash', '-c', command] });
  });

  it('runs a Python script from its content with python3 -c and shows it as python3 <script>', () => {
    const content = 'print("ACADEMY_DECOY=none")\n';
    const lab = labWith({ 'checks/offer_worse_challenger.py': content });
    expect(learnerRun(lab, { script: 'checks/offer_worse_challenger.py', as: 'learner' })).toEqual({
      command: 'python3 checks/offer_worse_challenger.py',
      argv: ['python3', '-c', content],
    });
  });

  it('runs a shell script from its content with bash -c, naming it as $0 for its error lines', () => {
    const content = 'echo "ACADEMY_READY=1"\n';
    const lab = labWith({ 'checks/prepare.sh': content });
    expect(learnerRun(lab, { script: 'checks/prepare.sh', as: 'learner' })).toEqual({
      command: 'bash checks/prepare.sh',
      argv: ['bash', '-c', content, 'checks/prepare.sh'],
    });
  });

  it('reads the script when the step is checked, so an edit needs no restart', () => {
    const lab = labWith({ 'checks/prepare.py': 'print(1)\n' });
    const run = { script: 'checks/prepare.py', as: 'learner' } as const;
    expect(learnerRun(lab, run).argv[2]).toBe('print(1)\n');
    fs.writeFileSync(path.join(lab.dir, 'checks/prepare.py'), 'print(2)\n');
    expect(learnerRun(lab, run).argv[2]).toBe('print(2)\n');
  });
});

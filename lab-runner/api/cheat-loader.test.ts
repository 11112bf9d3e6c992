import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { loadCheats } from './cheat-loader';
import { ContentError } from './content-error';
import { loadLab } from './lab-loader';
import { maxEditableFileBytes } from './requests';

const newDir = tempDirsForEachTest('academy-cheats-');

const step = (id: string, n: string) => ({
  id,
  title: id,
  body: 'steps/step.mdx',
  check: 'checks/check.py',
  solution: `solution/${n}`,
});

/** labs/demo-lab/ with two steps, plus `files` (paths relative to the lab folder). */
function labWith(files: Record<string, string | Buffer>) {
  const root = newDir();
  const lab = {
    id: 'demo-lab',
    title: 'Demo lab',
    summary: 'A lab for the cheat loader tests.',
    chapter: '01-intro',
    minutes: 5,
    steps: [step('train-model', '01'), step('write-metrics', '02')],
  };
  const all: Record<string, string | Buffer> = {
    'lab.yaml': stringify(lab),
    'steps/step.mdx': 'Do it.\n',
    'checks/check.py': 'print("{}")\n',
    'workspace/train.py': 'print(1)\n',
    'solution/01/train.py': 'print(2)\n',
    'solution/02/train.py': 'print(3)\n',
    ...files,
  };
  for (const [file, content] of Object.entries(all)) {
    const absolute = path.join(root, 'labs', 'demo-lab', file);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, content);
  }
  return () => loadCheats(loadLab('demo-lab', { labsDir: path.join(root, 'labs'), root }), { root });
}

const cheatYaml = (fields: Record<string, unknown>) =>
  stringify({ fakes: 'hard-codes the metrics the check expects', failsOn: 'mae is measured', ...fields });

function expectProblem(load: () => unknown, message: string | RegExp) {
  let thrown: unknown;
  try {
    load();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ContentError);
  expect((thrown as Error).message).toMatch(message);
}

describe('loadCheats', () => {
  it('has no cheats when the lab has no cheats/ folder', () => {
    expect(labWith({})()).toEqual([]);
  });

  it('reads each cheat with its overlay files, in step order then by name', () => {
    const cheats = labWith({
      'cheats/write-metrics/constant-metrics/cheat.yaml': cheatYaml({ kind: 'hard-coded-output' }),
      'cheats/write-metrics/constant-metrics/train.py': 'print("mae: 1.0")\n',
      'cheats/write-metrics/constant-metrics/data/x.csv': 'a,b\n',
      'cheats/train-model/dummy-model/cheat.yaml': cheatYaml({
        fakes: 'saves a model that always predicts the mean',
        failsOn: 'beats the baseline',
        kind: 'fake-work',
        setup: ['mkdir -p ~/.local && touch ~/.local/planted'],
      }),
    })();
    expect(cheats.map((c) => `${c.stepId}/${c.name}`)).toEqual([
      'train-model/dummy-model',
      'write-metrics/constant-metrics',
    ]);
    expect(cheats[0]).toMatchObject({
      fakes: 'saves a model that always predicts the mean',
      failsOn: 'beats the baseline',
      kind: 'fake-work',
      setup: ['mkdir -p ~/.local && touch ~/.local/planted'],
      files: [],
    });
    expect(cheats[1]!.setup).toEqual([]);
    expect(cheats[1]!.kind).toBe('hard-coded-output');
    expect(cheats[1]!.files.map((f) => [f.path, f.content.toString()])).toEqual([
      ['data/x.csv', 'a,b\n'],
      ['train.py', 'print("mae: 1.0")\n'],
    ]);
  });

  it('accepts a cheat made only of setup commands, or only of files, kind left out', () => {
    const cheats = labWith({
      'cheats/train-model/only-setup/cheat.yaml': cheatYaml({ setup: ['touch model.joblib'] }),
      'cheats/train-model/only-files/cheat.yaml': cheatYaml({}),
      'cheats/train-model/only-files/model.joblib': 'not a model',
    })();
    expect(cheats.map((c) => [c.name, c.files.length, c.setup.length, c.kind])).toEqual([
      ['only-files', 1, 0, undefined],
      ['only-setup', 0, 1, undefined],
    ]);
  });

  it('refuses a folder named after no step, listing the steps', () => {
    expectProblem(
      labWith({
        'cheats/promote/constant/cheat.yaml': cheatYaml({}),
        'cheats/promote/constant/train.py': 'x',
      }),
      'labs/demo-lab/cheats/promote: there is no step "promote" in lab.yaml (steps: train-model, write-metrics)',
    );
  });

  it('refuses a cheat without failsOn, or with an empty one, naming the field', () => {
    const yaml = stringify({ fakes: 'prints a constant' });
    expectProblem(
      labWith({ 'cheats/train-model/constant/cheat.yaml': yaml, 'cheats/train-model/constant/a.py': 'x' }),
      /^labs\/demo-lab\/cheats\/train-model\/constant\/cheat\.yaml: field "failsOn": /,
    );
    expectProblem(
      labWith({
        'cheats/train-model/constant/cheat.yaml': cheatYaml({ failsOn: '  ' }),
        'cheats/train-model/constant/a.py': 'x',
      }),
      'cheat.yaml: field "failsOn": must name the check detail that must fail',
    );
  });

  it('refuses a cheat with neither files nor setup', () => {
    expectProblem(
      labWith({ 'cheats/train-model/nothing/cheat.yaml': cheatYaml({}) }),
      'labs/demo-lab/cheats/train-model/nothing/cheat.yaml: field "setup": the cheat overlays no file and has no setup',
    );
  });

  it('refuses a cheat folder name that is not kebab-case', () => {
    expectProblem(
      labWith({
        'cheats/train-model/Constant_Metrics/cheat.yaml': cheatYaml({}),
        'cheats/train-model/Constant_Metrics/a.py': 'x',
      }),
      'labs/demo-lab/cheats/train-model/Constant_Metrics: a cheat folder name must be kebab-case',
    );
  });

  it('refuses an unknown field, an unknown kind and a fakes on several lines', () => {
    const files = (yaml: string) =>
      labWith({ 'cheats/train-model/c/cheat.yaml': yaml, 'cheats/train-model/c/a.py': 'x' });
    expectProblem(files(cheatYaml({ fails: 'x' })), 'cheat.yaml: Unrecognized key: "fails"');
    expectProblem(files(cheatYaml({ kind: 'lying' })), /cheat\.yaml: field "kind": Invalid option/);
    expectProblem(
      files(cheatYaml({ fakes: 'hard-codes\nthe metrics' })),
      'cheat.yaml: field "fakes": must be one sentence on one line',
    );
    expectProblem(files('fakes: [unclosed'), 'cheat.yaml: is not valid YAML');
  });

  it('refuses stray files where folders belong, a missing cheat.yaml and an oversized file', () => {
    expectProblem(
      labWith({ 'cheats/notes.txt': 'x' }),
      'labs/demo-lab/cheats/notes.txt: cheats/ holds one folder per step',
    );
    expectProblem(
      labWith({ 'cheats/train-model/train.py': 'x' }),
      'labs/demo-lab/cheats/train-model/train.py: a step folder of cheats/ holds one folder per cheat',
    );
    expectProblem(
      labWith({ 'cheats/train-model/c/train.py': 'x' }),
      'labs/demo-lab/cheats/train-model/c/cheat.yaml: file not found',
    );
    expectProblem(
      labWith({
        'cheats/train-model/c/cheat.yaml': cheatYaml({}),
        'cheats/train-model/c/model.bin': Buffer.alloc(maxEditableFileBytes + 1),
      }),
      'labs/demo-lab/cheats/train-model/c/model.bin: is larger than 1 MiB',
    );
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { ContentError } from './content-error';
import { listLabIds, loadLab, maxRunScriptBytes, validateLabs } from './lab-loader';

const newDir = tempDirsForEachTest('academy-labs-');

const validLab = () => ({
  id: 'demo-lab',
  title: 'Demo lab',
  summary: 'A lab for the loader tests.',
  chapter: '01-intro',
  minutes: 20,
  open: ['train.py'],
  steps: [
    {
      id: 'first-step',
      title: 'First step',
      body: 'steps/01.mdx',
      check: 'checks/first.py',
      runs: ['python3 train.py'],
      hints: ['Look at train.py.'],
      solution: 'solution/01',
    },
  ],
});

/** A project with content/chapters/01-intro.mdx and labs/demo-lab/ built from `lab` and `files`. */
function project(
  lab: unknown,
  options: { omit?: string[]; yamlText?: string; extra?: Record<string, string> } = {},
) {
  const root = newDir();
  const files: Record<string, string> = {
    ...options.extra,
    'content/chapters/01-intro.mdx': '---\ntitle: x\n---\n',
    'labs/demo-lab/steps/01.mdx': 'Do the thing.\n',
    'labs/demo-lab/checks/first.py': 'print("{}")\n',
    'labs/demo-lab/workspace/train.py': 'print(1)\n',
    'labs/demo-lab/solution/01/train.py': 'print(2)\n',
    'labs/demo-lab/lab.yaml': options.yamlText ?? stringify(lab),
  };
  for (const [file, content] of Object.entries(files)) {
    if (options.omit?.some((omitted) => file.startsWith(omitted))) continue;
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return {
    root,
    load: () =>
      loadLab('demo-lab', {
        labsDir: path.join(root, 'labs'),
        chaptersDir: path.join(root, 'content', 'chapters'),
        root,
      }),
  };
}

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

type Lab = ReturnType<typeof validLab>;
const withStep = (
  change: Partial<Omit<Lab['steps'][number], 'runs' | 'hints'>> & {
    runs?: unknown[];
    hints?: unknown[];
    autoCheck?: unknown;
  },
): Lab => {
  const lab = validLab();
  lab.steps[0] = { ...lab.steps[0]!, ...change } as Lab['steps'][number];
  return lab;
};
const withScript = (name: string, content = 'print("ACADEMY_READY=1")\n') => ({
  [`labs/demo-lab/${name}`]: content,
});

describe('loadLab', () => {
  it('loads a valid lab with defaults filled in', () => {
    const { load, root } = project(validLab());
    const lab = load();
    expect(lab).toMatchObject({
      id: 'demo-lab',
      services: [],
      resources: {},
      dir: path.join(root, 'labs', 'demo-lab'),
    });
    expect(lab.steps[0]).toMatchObject({ timeoutSeconds: 60, runs: ['python3 train.py'] });
  });

  it('names the file for broken YAML', () => {
    expectProblem(
      project(null, { yamlText: 'id: [unclosed\n' }).load,
      /^labs\/demo-lab\/lab\.yaml: is not valid YAML/,
    );
  });

  it('names the field for each kind of schema problem', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...validLab(), title: undefined }, /field "title"/],
      [{ ...validLab(), colour: 'red' }, /Unrecognized key.*colour/],
      [{ ...validLab(), id: 'Demo Lab' }, /field "id": must be a kebab-case lab id/],
      [{ ...validLab(), minutes: -5 }, /field "minutes"/],
      [{ ...validLab(), chapter: 'intro' }, /field "chapter": must be a chapter slug/],
      [{ ...validLab(), steps: [] }, /field "steps": a lab needs at least one step/],
      [{ ...validLab(), resources: { memoryMb: 10 } }, /field "resources\.memoryMb"/],
      [withStep({ check: 'checks/first.rb' }), /field "steps\.0\.check": must end with \.py or \.sh/],
      [withStep({ check: 'first.py' }), /field "steps\.0\.check": must be a path under checks\//],
      [withStep({ check: 'checks/../../etc/passwd.py' }), /field "steps\.0\.check": must not contain "\.\."/],
      [withStep({ body: 'steps/01.md' }), /field "steps\.0\.body": must end with \.mdx/],
      [withStep({ id: 'First' }), /field "steps\.0\.id": must be a kebab-case step id/],
      [withStep({ hints: ['1', '2', '3', '4', '5', '6'] }), /field "steps\.0\.hints"/],
      [withStep({ solution: undefined as unknown as string }), /field "steps\.0\.solution"/],
    ];
    for (const [lab, message] of cases) expectProblem(project(lab).load, message);
  });

  it('checks what the lab points at exists', () => {
    expectProblem(
      project({ ...validLab(), id: 'other-lab' }).load,
      /field "id": is "other-lab" but the folder is labs\/demo-lab/,
    );
    expectProblem(
      project({ ...validLab(), chapter: '02-missing' }).load,
      /field "chapter": there is no chapter "02-missing"/,
    );
    expectProblem(
      project({ ...validLab(), services: ['serving-gateway'] }).load,
      /field "services\.0": "serving-gateway" is not a labkit service \(available: tracking, pipelines\)/,
    );
    expectProblem(
      project({ ...validLab(), open: ['nope.py'] }).load,
      /field "open\.0": workspace\/nope\.py does not exist/,
    );
    expectProblem(
      project(validLab(), { omit: ['labs/demo-lab/steps'] }).load,
      /field "steps\.0\.body": steps\/01\.mdx does not exist/,
    );
    expectProblem(
      project(validLab(), { omit: ['labs/demo-lab/checks'] }).load,
      /field "steps\.0\.check": checks\/first\.py does not exist/,
    );
    expectProblem(
      project(validLab(), { omit: ['labs/demo-lab/solution'] }).load,
      /field "steps\.0\.solution": solution\/01\/ does not exist or holds no files/,
    );
    expectProblem(project(validLab(), { omit: ['labs/demo-lab/workspace'] }).load, /no workspace\/ folder/);
    expectProblem(
      project({ ...validLab(), open: ['../lab.yaml'] }).load,
      /field "open\.0": must be a path inside workspace\//,
    );
    const reserved = project(validLab());
    fs.writeFileSync(path.join(reserved.root, 'labs/demo-lab/checks/runs.json'), '[]');
    expectProblem(reserved.load, /^labs\/demo-lab\/checks\/runs\.json: this name is reserved for the grader/);
    const linked = project(validLab());
    const checkFile = path.join(linked.root, 'labs/demo-lab/checks/first.py');
    fs.renameSync(checkFile, `${checkFile}.real`);
    fs.symlinkSync(`${checkFile}.real`, checkFile);
    expectProblem(linked.load, /field "steps\.0\.check": checks\/first\.py does not exist/);
    const twice = validLab();
    twice.steps.push({ ...twice.steps[0]! });
    expectProblem(project(twice).load, /field "steps\.1\.id": "first-step" is used by two steps/);
  });
});

describe('loadLab: runs', () => {
  it('accepts command and script entries in any order, a script running as the learner by default', () => {
    const runs = [
      { script: 'checks/plant_probe.py' },
      'python3 train.py',
      { script: 'checks/remove_probe.sh', as: 'learner' },
      { script: 'checks/make_challenge.py', as: 'grader' },
    ];
    const { load } = project(withStep({ runs }), {
      extra: {
        ...withScript('checks/plant_probe.py'),
        ...withScript('checks/remove_probe.sh', 'echo done\n'),
        ...withScript('checks/make_challenge.py'),
      },
    });
    expect(load().steps[0]!.runs).toEqual([
      { script: 'checks/plant_probe.py', as: 'learner' },
      'python3 train.py',
      { script: 'checks/remove_probe.sh', as: 'learner' },
      { script: 'checks/make_challenge.py', as: 'grader' },
    ]);
  });

  it('names the entry for each kind of schema problem in a script entry', () => {
    const cases: [unknown, RegExp][] = [
      [{ script: 'plant_probe.py' }, /field "steps\.0\.runs\.1\.script": must be a path under checks\//],
      [{ script: 'workspace/train.py' }, /field "steps\.0\.runs\.1\.script": must be a path under checks\//],
      [{ script: 'checks/../workspace/x.py' }, /field "steps\.0\.runs\.1\.script": must not contain "\.\."/],
      [{ script: 'checks/plant_probe.rb' }, /field "steps\.0\.runs\.1\.script": must end with \.py or \.sh/],
      [
        { script: 'checks/plant_probe.py', as: 'root' },
        /field "steps\.0\.runs\.1\.as": .*"learner"\|"grader"/,
      ],
      [
        { script: 'checks/plant_probe.py', user: 'root' },
        /field "steps\.0\.runs\.1": Unrecognized key.*user/,
      ],
      [{ command: 'python3 train.py' }, /field "steps\.0\.runs\.1/],
      ['  ', /field "steps\.0\.runs\.1": Too small/],
      [42, /field "steps\.0\.runs\.1": must be a command or \{ script: checks\/<file>\.py\|\.sh \}/],
    ];
    for (const [entry, message] of cases) {
      const lab = withStep({ runs: ['python3 train.py', entry] });
      expectProblem(project(lab, { extra: withScript('checks/plant_probe.py') }).load, message);
    }
  });

  it('requires a script to be a regular file of the lab, small enough to pass as an argument', () => {
    const lab = withStep({ runs: ['python3 train.py', { script: 'checks/plant_probe.py' }] });
    expectProblem(
      project(lab).load,
      /^labs\/demo-lab\/lab\.yaml: field "steps\.0\.runs\.1\.script": checks\/plant_probe\.py does not exist/,
    );

    const linked = project(lab, { extra: withScript('checks/real_probe.py') });
    fs.symlinkSync(
      path.join(linked.root, 'labs/demo-lab/checks/real_probe.py'),
      path.join(linked.root, 'labs/demo-lab/checks/plant_probe.py'),
    );
    expectProblem(linked.load, /field "steps\.0\.runs\.1\.script": checks\/plant_probe\.py does not exist/);

    const folder = project(lab, { extra: withScript('checks/plant_probe.py/inner.py') });
    expectProblem(folder.load, /field "steps\.0\.runs\.1\.script": checks\/plant_probe\.py does not exist/);

    const big = project(lab, {
      extra: withScript('checks/plant_probe.py', '#'.repeat(maxRunScriptBytes + 1)),
    });
    expectProblem(
      big.load,
      /field "steps\.0\.runs\.1\.script": checks\/plant_probe\.py is larger than 64 KiB/,
    );
  });
});

describe('loadLab: hints and autoCheck', () => {
  it('reads general and state hints as { text, when? } in their order, and autoCheck off by default', () => {
    const hints = ['Look at train.py.', { text: 'Seed the shuffle too.', when: 'mae identical' }];
    const step = project(withStep({ hints })).load().steps[0]!;
    expect(step.hints).toEqual([
      { text: 'Look at train.py.' },
      { text: 'Seed the shuffle too.', when: 'mae identical' },
    ]);
    expect(step.autoCheck).toBe(false);
    expect(project(withStep({ autoCheck: true })).load().steps[0]!.autoCheck).toBe(true);
  });

  it('names the hint for each kind of problem', () => {
    const cases: [unknown, RegExp][] = [
      [{ text: 'No state.' }, /field "steps\.0\.hints\.1\.when": Invalid input/],
      [{ when: 'mae identical' }, /field "steps\.0\.hints\.1\.text"/],
      [{ text: 'x', when: 'mae identical', after: 2 }, /field "steps\.0\.hints\.1": Unrecognized key.*after/],
      [{ text: ' ', when: 'mae identical' }, /field "steps\.0\.hints\.1\.text": Too small/],
      [{ text: 'x', when: 'd'.repeat(201) }, /field "steps\.0\.hints\.1\.when": Too big/],
      ['', /field "steps\.0\.hints\.1": Too small/],
      [7, /field "steps\.0\.hints\.1": must be a text or \{ text, when: <detail name> \}/],
    ];
    for (const [entry, message] of cases) {
      expectProblem(project(withStep({ hints: ['General.', entry] })).load, message);
    }
    expectProblem(project(withStep({ autoCheck: 'yes' })).load, /field "steps\.0\.autoCheck"/);
  });

  it('refuses two hints for the same detail', () => {
    const hints = [
      { text: 'One.', when: 'mae identical' },
      { text: 'Two.', when: 'mae identical' },
    ];
    expectProblem(
      project(withStep({ hints })).load,
      /field "steps\.0\.hints\.1\.when": two hints are for the detail "mae identical"/,
    );
  });
});

describe('validateLabs', () => {
  it('lists every lab folder and collects one problem per broken lab', () => {
    const { root } = project(validLab());
    fs.mkdirSync(path.join(root, 'labs', 'broken-lab'));
    fs.writeFileSync(path.join(root, 'labs', 'broken-lab', 'lab.yaml'), 'id: broken-lab\n');
    fs.mkdirSync(path.join(root, 'labs', 'not-a-lab'));
    const labsDir = path.join(root, 'labs');
    expect(listLabIds(labsDir)).toEqual(['broken-lab', 'demo-lab']);
    const { labs, problems } = validateLabs({
      labsDir,
      chaptersDir: path.join(root, 'content', 'chapters'),
      root,
    });
    expect(labs.map((lab) => lab.id)).toEqual(['demo-lab']);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^labs\/broken-lab\/lab\.yaml: field "title"/),
    ]);
  });
});

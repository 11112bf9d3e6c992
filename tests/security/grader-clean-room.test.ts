/**
 * The grader's clean room against a learner who wants their code to run as the grader, to forge
 * the evidence of the runs, or to race or spy on the check: in a real sandbox of the fixture lab
 * `grader-escapes`, whose checks fail on the untouched starter. Each way out is planted as the
 * learner, then Check is pressed: the result must stay `fail`, and the planted code, which writes
 * /tmp/escaped-<route> whenever it runs as anyone but the learner, must not have run as the grader.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';
import { openTerminal } from '@/tests/support/terminal-client';

let t: TestRunner;
let id: string;
const learnerUid = 1000;
const graderUid = 1001;
const userSite = '/home/learner/.local/lib/python3.11/site-packages';

beforeAll(async () => {
  t = await startTestRunner();
  id = await t.startSession('escaper', 'grader-escapes');
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

type Result = {
  status: string;
  message: string;
  details: { name: string; status: string; message?: string }[];
  diagnostics?: string;
};

async function check(stepId: string): Promise<Result> {
  const response = await t.api(`/v1/sessions/${id}/checks`, { method: 'POST', json: { stepId } });
  expect(response.status).toBe(200);
  return (await response.json()) as Result;
}

/** A bash command as the learner (or the grader, whom a grading never pauses), through the runner's exec API. */
async function sh(command: string, options: { user?: 'learner' | 'grader'; timeoutMs?: number } = {}) {
  const response = await t.api(`/v1/sessions/${id}/exec`, {
    method: 'POST',
    json: {
      cmd: ['bash', '-c', command],
      user: options.user ?? 'learner',
      timeoutMs: options.timeoutMs ?? 20_000,
    },
  });
  const reply = (await response.json()) as { exitCode: number; stdout: string; stderr: string };
  expect(response.status, JSON.stringify(reply)).toBe(200);
  return reply;
}

/** Python that, run as anyone but the learner, leaves /tmp/escaped-<route> and prints a pass. */
function pythonPayload(route: string): string {
  return [
    'import os as _os, sys as _sys',
    `if _os.getuid() != ${learnerUid}:`,
    `    open("/tmp/escaped-${route}", "w").write(str(_os.getuid()))`,
    '    _sys.stdout.write(\'{"status": "pass", "message": "escaped"}\\n\')',
    '    _sys.stdout.flush()',
    '    _os._exit(0)',
    '',
  ].join('\n');
}

/** The same in shell: for BASH_ENV, start-up files and fake programs on PATH. */
/**
 * A command run while a grading is in progress, as an exec already in flight when it began would
 * be: the runner holds the learner's own commands until a grading ends (sessions.whileGrading), so
 * this goes past that hold, to show what such a process could still do.
 */
async function shMidGrading(
  command: string,
  options: { user?: 'learner' | 'grader'; timeoutMs?: number } = {},
) {
  return t.runner.sessions.execDuringGrading(id, {
    cmd: ['bash', '-c', command],
    user: options.user ?? 'learner',
    timeoutMs: options.timeoutMs ?? 20_000,
    outputLimitBytes: 1024 * 1024,
  });
}

function shellPayload(route: string): string {
  return [
    `if [ "$(id -u)" != ${learnerUid} ]; then`,
    `  id -u > /tmp/escaped-${route}`,
    `  echo '{"status":"pass","message":"escaped"}'`,
    '  exit 0',
    'fi',
    '',
  ].join('\n');
}

/** A shell command that writes `content` to `file` (a quoted heredoc: nothing is expanded). */
function write(file: string, content: string): string {
  return `mkdir -p "$(dirname ${file})" && cat > ${file} <<'PLANTED'\n${content}PLANTED\n`;
}

/** `export NAME=value` in every start-up file a login or interactive shell of the learner reads. */
function inStartupFiles(line: string): string {
  return ['.bashrc', '.profile', '.bash_profile', '.bash_login']
    .map((file) => `echo '${line}' >> ~/${file}\n`)
    .join('');
}

const shadowedModules = [
  'json',
  'subprocess',
  'tempfile',
  'runpy',
  'shutil',
  'posixpath',
  'stat',
  'enum',
  'academy_check',
];
const fakePrograms = ['python3', 'bash', 'env', 'rm', 'timeout', 'sh'];

/** Each way out, as the shell commands (run as the learner) that plant it. */
const routes: { name: string; plant: string }[] = [
  {
    name: 'a .pth in the user site',
    plant:
      write(`${userSite}/zz-escape.pth`, 'import os; exec(open("/home/learner/.payload-pth.py").read())\n') +
      write('~/.payload-pth.py', pythonPayload('pth')),
  },
  ...shadowedModules.map((module) => ({
    name: `${module}.py in ~/work`,
    plant: write(`~/work/${module}.py`, pythonPayload(`shadow-${module}`)),
  })),
  ...['sitecustomize', 'usercustomize'].flatMap((module) => [
    { name: `${module}.py in ~/work`, plant: write(`~/work/${module}.py`, pythonPayload(`work-${module}`)) },
    {
      name: `${module}.py in the user site`,
      plant: write(`${userSite}/${module}.py`, pythonPayload(`site-${module}`)),
    },
  ]),
  {
    name: 'PYTHONPATH in the start-up files',
    plant:
      shadowedModules
        .map((module) => write(`~/evil/${module}.py`, pythonPayload(`pythonpath-${module}`)))
        .join('') + inStartupFiles('export PYTHONPATH=/home/learner/evil'),
  },
  {
    name: 'PYTHONSTARTUP in the start-up files',
    plant:
      write('~/evil/startup.py', pythonPayload('pythonstartup')) +
      inStartupFiles('export PYTHONSTARTUP=/home/learner/evil/startup.py'),
  },
  {
    name: 'PYTHONUSERBASE in the start-up files',
    plant:
      write(
        '~/evilbase/lib/python3.11/site-packages/zz.pth',
        'import os; exec(open("/home/learner/.payload-base.py").read())\n',
      ) +
      write('~/.payload-base.py', pythonPayload('pythonuserbase')) +
      inStartupFiles('export PYTHONUSERBASE=/home/learner/evilbase'),
  },
  {
    name: 'BASH_ENV in the start-up files',
    plant:
      write('~/.payload-bashenv.sh', shellPayload('bash-env')) +
      inStartupFiles('export BASH_ENV=/home/learner/.payload-bashenv.sh'),
  },
  {
    // No compiler in the image: a library that is not one. Honoured, the loader would complain
    // on stderr of every grader program; it must not even be tried.
    name: 'LD_PRELOAD in the start-up files',
    plant: 'echo "not a library" > ~/evil.so\n' + inStartupFiles('export LD_PRELOAD=/home/learner/evil.so'),
  },
  {
    name: 'programs on a PATH set in the start-up files',
    plant:
      fakePrograms
        .map((program) =>
          write(
            `~/bin/${program}`,
            `#!/bin/sh\n${shellPayload(`path-${program}`)}exec /usr/bin/${program} "$@"\n`,
          ),
        )
        .join('') +
      'chmod +x ~/bin/*\n' +
      inStartupFiles('export PATH=/home/learner/bin:$PATH'),
  },
  {
    name: 'the variables in a running learner process',
    plant:
      write('~/evil/json.py', pythonPayload('process-env')) +
      write('~/.payload-bashenv.sh', shellPayload('process-bash-env')) +
      'PYTHONPATH=/home/learner/evil BASH_ENV=/home/learner/.payload-bashenv.sh LD_PRELOAD=/home/learner/evil.so ' +
      'PATH=/home/learner/bin:$PATH setsid sleep 600 > /dev/null 2>&1 < /dev/null & echo $! > ~/.holder.pid\n',
  },
];

/** Removes every route's files (what the learner owns) and the process some leave. */
const unplant = [
  '[ -f ~/.holder.pid ] && kill "$(cat ~/.holder.pid)"',
  'rm -rf ~/.local ~/bin ~/evil ~/evilbase ~/evil.so ~/.payload-* ~/.holder.pid',
  'rm -f ~/.bashrc ~/.profile ~/.bash_profile ~/.bash_login',
  `cd ~/work && rm -f ${[...shadowedModules, 'sitecustomize', 'usercustomize'].map((m) => `${m}.py`).join(' ')}`,
  'true',
].join('\n');

/** Replaces double.py for the duration of `test`, then puts the starter back. */
async function withDoublePy(source: string, test: () => Promise<void>): Promise<void> {
  await sh('cp ~/work/double.py ~/double.starter\n' + write('~/work/double.py', source));
  try {
    await test();
  } finally {
    await sh('cp ~/double.starter ~/work/double.py && rm -f ~/double.starter');
  }
}

const solvedDoublePy = [
  'import os',
  'n = int(open(os.environ["ACADEMY_CHALLENGE"] + "/number.txt").read())',
  'open("result.txt", "w").write(f"{2 * n}\\n")',
  '',
].join('\n');

/** Markers the payloads left: written only by code running as someone else than the learner. */
async function escapes(): Promise<string> {
  return (await sh('ls /tmp | grep "^escaped-" || true')).stdout;
}

describe('planted code never runs as the grader', () => {
  it.each(routes)(
    '$name: both checks still fail',
    async ({ plant }) => {
      const escapedBefore = await escapes();
      const planted = await sh(plant);
      expect(planted.exitCode, planted.stderr).toBe(0);
      try {
        const challenge = await check('double-it');
        const hello = await check('say-hello');
        // A marker only the planted code, run as someone else than the learner, could leave.
        expect(await escapes()).toBe(escapedBefore);
        expect(challenge.status, challenge.diagnostics).toBe('fail');
        expect(challenge.message).toMatch(/result\.txt|double\.py/);
        expect(hello.status, hello.diagnostics).toBe('fail');
        expect(hello.message).toMatch(/hello\.txt should contain/);
      } finally {
        await sh(unplant);
      }
    },
    60_000,
  );
});

describe('the evidence of the runs is the runner’s', () => {
  it('ignores a runs.json and results planted wherever the learner can write', async () => {
    const forged = JSON.stringify([
      {
        command: 'python3 checks/make_challenge.py',
        as: 'grader',
        dir: '/tmp/x',
        exitCode: 0,
        timedOut: false,
        stdout: '',
        stderr: '',
        startedAtMs: 0,
        durationMs: 1,
      },
      {
        command: 'python3 double.py',
        as: 'learner',
        dir: '/home/learner/forged',
        exitCode: 0,
        timedOut: false,
        stdout: '',
        stderr: '',
        startedAtMs: 0,
        durationMs: 1,
      },
    ]);
    const places = [
      '~/work',
      '~',
      '/tmp',
      '/tmp/academy-runs',
      '/tmp/academy-runs/1',
      '/tmp/academy-runs/2',
      '~/forged',
    ];
    await sh(
      places
        .map(
          (place) =>
            `mkdir -p ${place} && echo '${forged}' > ${place}/runs.json && echo 2 > ${place}/result.txt`,
        )
        .join('\n'),
    );
    try {
      expect((await check('double-it')).status).toBe('fail');
    } finally {
      await sh(
        'rm -rf ~/forged ~/runs.json ~/work/runs.json ~/work/result.txt /tmp/runs.json /tmp/result.txt',
      );
    }
  }, 60_000);

  it('removes links, files and folders planted where the runs go, and uses none of them', async () => {
    await sh(
      'rm -rf /tmp/academy-runs && mkdir -p ~/decoy/2 && echo 4 > ~/decoy/2/result.txt && ln -s ~/decoy /tmp/academy-runs',
    );
    expect((await check('double-it')).status).toBe('fail');
    expect((await sh('stat -c %F /tmp/academy-runs')).stdout).toBe('directory\n');

    // A folder the learner locked, holding a link, where the next run's folder goes.
    await sh(
      'mkdir -p /tmp/academy-runs/2/deep && ln -s ~/decoy /tmp/academy-runs/2/x && chmod 000 /tmp/academy-runs/2/deep /tmp/academy-runs/2',
    );
    await withDoublePy(solvedDoublePy, async () => {
      const solved = await check('double-it');
      expect(solved.status, solved.message).toBe('pass');
    });
    expect((await sh('ls -A ~/decoy/2')).stdout).toBe('result.txt\n');
    await sh('rm -rf ~/decoy');
  }, 60_000);

  it('makes a fresh challenge at every grading, which learner runs can read but not change', async () => {
    const probing = [
      'import os',
      'folder = os.environ["ACADEMY_CHALLENGE"]',
      'n = int(open(folder + "/number.txt").read())',
      'tries = [os.system(f"cd {folder} && {attempt} 2>/dev/null") == 0 for attempt in ("echo 1 > number.txt", "rm number.txt", "touch mine.txt")]',
      'modes = [oct(os.stat(path).st_mode & 0o777) for path in (folder, folder + "/number.txt")]',
      'print(n, any(tries), *modes, file=open("/home/learner/seen.log", "a"))',
      'open("result.txt", "w").write(f"{2 * n}\\n")',
      '',
    ].join('\n');
    await withDoublePy(probing, async () => {
      for (let grading = 0; grading < 2; grading++) {
        const result = await check('double-it');
        expect(result.status, result.message).toBe('pass');
      }
    });
    const seen = (await sh('cat ~/seen.log && rm ~/seen.log')).stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    expect(seen).toHaveLength(2);
    expect(seen[0]![0]).not.toBe(seen[1]![0]);
    for (const [, changed, folderMode, fileMode] of seen) {
      expect([changed, folderMode, fileMode]).toEqual(['False', '0o755', '0o644']);
    }
    expect((await sh('ls /tmp | grep -c "^academy-challenge-" || true')).stdout).toBe('0\n');
  }, 60_000);
});

describe('learner processes cannot race the grader', () => {
  it('freezes a process that rewrites the runs’ results, then lets it go on', async () => {
    const racer = [
      'import glob, json, os, time',
      'state = {"beats": 0, "sawChallenge": False}',
      'while True:',
      '    for challenge in glob.glob("/tmp/academy-challenge-*/number.txt"):',
      '        try:',
      '            doubled = 2 * int(open(challenge).read())',
      '        except (OSError, ValueError):',
      '            continue',
      '        state["sawChallenge"] = True',
      '        for folder in glob.glob("/tmp/academy-runs/*/"):',
      '            try:',
      '                open(folder + "result.txt", "w").write(f"{doubled}\\n")',
      '            except OSError:',
      '                pass',
      '    state["beats"] += 1',
      '    json.dump(state, open("/home/learner/racer.json.tmp", "w"))',
      '    os.replace("/home/learner/racer.json.tmp", "/home/learner/racer.json")',
      '    time.sleep(0.005)',
      '',
    ].join('\n');
    await sh(
      write('~/racer.py', racer) +
        'setsid python3 ~/racer.py > /dev/null 2>&1 < /dev/null & echo $! > ~/racer.pid',
    );
    const beats = async () =>
      JSON.parse((await sh('cat ~/racer.json')).stdout) as { beats: number; sawChallenge: boolean };
    try {
      await expect
        .poll(async () => (await sh('test -f ~/racer.json && echo yes')).stdout, { timeout: 10_000 })
        .toBe('yes\n');
      const result = await check('double-it');
      expect(result.status).toBe('fail');
      const after = await beats();
      expect(after.sawChallenge).toBe(false);
      // Running again: its heartbeat goes on.
      await expect.poll(async () => (await beats()).beats, { timeout: 10_000 }).toBeGreaterThan(after.beats);
    } finally {
      await sh('kill "$(cat ~/racer.pid)"; rm -f ~/racer.py ~/racer.pid ~/racer.json');
    }
  }, 60_000);

  it('freezes a process that keeps forking, and grades as usual', async () => {
    await sh(
      "setsid bash -c 'while :; do (sleep 0.2 &); done' > /dev/null 2>&1 < /dev/null & echo $! > ~/forker.pid",
    );
    try {
      const result = await check('double-it');
      expect(result.status, result.diagnostics).toBe('fail');
      expect((await sh('ps -o stat= -p "$(cat ~/forker.pid)"')).stdout).toMatch(/^[SR]/);
    } finally {
      await sh('kill -9 "$(cat ~/forker.pid)"; rm -f ~/forker.pid');
    }
  }, 60_000);

  it('runs nothing the learner planted in the file operations the editor makes meanwhile', async () => {
    // A file operation may start while a check runs, when nothing else of the learner's may run.
    const marker = 'open("/tmp/planted-ran", "w").write("1")\n';
    await sh(write('~/work/json.py', marker) + write(`${userSite}/zz-planted.pth`, `import os; ${marker}`));
    try {
      const tree = await t.api(`/v1/sessions/${id}/files/tree`);
      expect(tree.status).toBe(200);
      expect(JSON.stringify(await tree.json())).toContain('json.py');
      expect((await sh('ls /tmp/planted-ran 2>/dev/null || echo none')).stdout).toBe('none\n');
    } finally {
      await sh('rm -rf ~/work/json.py ~/.local /tmp/planted-ran');
    }
  }, 60_000);

  it('kills what a run left running, even outside its session', async () => {
    await check('double-it');
    expect((await sh('pgrep -x sleep -a | grep -c "sleep 301" || true')).stdout).toBe('0\n');
  }, 60_000);

  it('runs the check with every learner process stopped, and resumes them all but those the learner stopped', async () => {
    await sh(
      "setsid bash -c 'sleep 302 & echo $! > ~/stopped.pid; kill -STOP $!' > /dev/null 2>&1 < /dev/null",
    );
    await sh(
      "setsid bash -c 'while :; do date +%s%N > ~/beat; sleep 0.05; done' > /dev/null 2>&1 < /dev/null & echo $! > ~/beat.pid",
    );
    const term = await openTerminal(`${t.url}/v1/sessions/${id}/terminal?token=${t.token(id, 'escaper')}`);
    try {
      await term.waitFor(/learner@lab/);
      // A program in the foreground of the terminal while the check runs.
      term.type('for i in $(seq 1000 1400); do echo tick-$i; sleep 0.05; done\r');
      await term.waitFor(/tick-1005/);

      const result = await check('surroundings');
      const fact = (name: string) =>
        JSON.parse(result.details.find((d) => d.name === name)!.message!) as unknown;
      const processes = fact('learner processes') as [number, string][];
      expect(processes.length).toBeGreaterThanOrEqual(4); // tmux, its shell, the loop, the beat
      for (const [pid, state] of processes) expect(`${pid} ${state}`).toMatch(/ [TtZ]$/);

      // Afterwards: the terminal's program goes on in the foreground, without being reported as
      // stopped; the background loop beats again; the process the learner stopped stays stopped.
      const from = term.output().length;
      await term.waitFor(/tick-1\d{3}/, { from });
      const beat = (await sh('cat ~/beat')).stdout;
      await expect.poll(async () => (await sh('cat ~/beat')).stdout, { timeout: 10_000 }).not.toBe(beat);
      expect((await sh('ps -o stat= -p "$(cat ~/stopped.pid)"')).stdout).toMatch(/^T/);
      term.type('\x03');
      term.type('echo after-$((6*7))\r');
      await term.waitFor(/after-42/, { from });
      expect(term.output()).not.toMatch(/Stopped/);
    } finally {
      await term.close();
      await sh('kill -9 "$(cat ~/stopped.pid)" "$(cat ~/beat.pid)"; rm -f ~/stopped.pid ~/beat.pid ~/beat');
    }
  }, 60_000);
});

describe('a grading whose thaw never came', () => {
  it('leaves processes stopped only until the next grading, which continues them', async () => {
    await sh(
      "setsid bash -c 'while :; do date +%s%N > ~/beat; sleep 0.05; done' > /dev/null 2>&1 < /dev/null & echo $! > ~/beat.pid",
    );
    // A freeze with no thaw after it: what a runner that restarted in the middle of a grading leaves.
    const pause = fs.readFileSync(
      path.join(process.cwd(), 'lab-runner/sandbox-scripts/learner_pause.py'),
      'utf8',
    );
    const frozen = await t.api(`/v1/sessions/${id}/exec`, {
      method: 'POST',
      json: {
        cmd: [
          'bash',
          '-c',
          'echo \'{"action": "freeze", "sparePorts": []}\' | python3 -I -S learner_pause.py',
        ],
        user: 'learner',
        files: { 'learner_pause.py': pause },
      },
    });
    expect(((await frozen.json()) as { stdout: string }).stdout).toMatch(/"ok": true/);
    try {
      expect((await sh('ps -o stat= -p "$(cat ~/beat.pid)"')).stdout).toMatch(/^T/);
      await check('say-hello');
      expect((await sh('ps -o stat= -p "$(cat ~/beat.pid)"')).stdout).toMatch(/^[SR]/);
    } finally {
      await sh('kill -9 "$(cat ~/beat.pid)"; rm -f ~/beat.pid ~/beat');
    }
  }, 60_000);
});

describe('a grader process', () => {
  it('has its own user, environment, folder and import path, none of it the learner’s', async () => {
    await sh(routes.map((route) => route.plant).join('\n'));
    try {
      const result = await check('surroundings');
      const fact = (name: string) =>
        JSON.parse(result.details.find((d) => d.name === name)!.message!) as unknown;
      expect(fact('uid')).toBe(graderUid);
      const environ = fact('environ') as Record<string, string>;
      expect(Object.keys(environ).sort()).toEqual([
        'ACADEMY_CHALLENGE',
        'ACADEMY_FILES',
        'ACADEMY_PROBE_SEED',
        'ACADEMY_STATE',
        'ACADEMY_WORKSPACE',
        'HOME',
        'LANG',
        'PATH',
        'TMPDIR',
      ]);
      expect(environ.PATH).toBe('/opt/labkit/bin:/usr/local/bin:/usr/bin:/bin');
      const room = environ.ACADEMY_FILES!.replace(/\/files$/, '');
      expect(room).toMatch(/^\/tmp\/academy-grader-[0-9a-f]{32}$/);
      expect(environ.HOME).toBe(`${room}/home`);
      expect(fact('cwd')).toBe(environ.ACADEMY_FILES);
      expect(fact('umask')).toBe(0o022);
      expect(fact('flags')).toEqual({ isolated: 1, no_user_site: 1, ignore_environment: 1, safe_path: true });
      const sysPath = fact('sys.path') as string[];
      expect(sysPath[0]).toBe(environ.ACADEMY_FILES);
      expect(
        sysPath.filter(
          (entry) => entry.startsWith('/home') || (entry.startsWith('/tmp/') && !entry.startsWith(room)),
        ),
      ).toEqual([]);
      // Every folder on the import path and PATH is root's, or the grader's own private room.
      for (const detail of result.details.filter((d) => d.name.startsWith('owner '))) {
        const folder = detail.name.slice('owner '.length);
        const ownerAndMode = JSON.parse(detail.message!) as [number, number] | null;
        if (ownerAndMode === null) continue; // an entry that does not exist (python311.zip)
        const [owner, mode] = ownerAndMode;
        if (folder.startsWith(room)) expect([owner, mode], folder).toEqual([graderUid, 0o700]);
        else expect([owner, mode & 0o022], folder).toEqual([0, 0]);
      }
      expect(await escapes()).toBe('');
    } finally {
      await sh(unplant);
    }
  }, 60_000);

  it('cannot be read by a learner process, even one started while the check runs', async () => {
    const spy = [
      'import glob, json, os, sys, time',
      'secret, seed = b"academy-secret-7f3a9c", b"ACADEMY_PROBE_SEED="',
      'report = {"graderProcesses": 0, "denied": 0, "found": []}',
      'deadline = time.time() + 2',
      'while time.time() < deadline:',
      '    for pid in [p for p in os.listdir("/proc") if p.isdigit()]:',
      '        try:',
      '            uid = int([l for l in open(f"/proc/{pid}/status") if l.startswith("Uid:")][0].split()[1])',
      '        except (OSError, IndexError):',
      '            continue',
      '        if uid != 1001:',
      '            continue',
      '        report["graderProcesses"] += 1',
      '        for leaf in ("fd/0", "environ", "cmdline", "mem", "cwd/secret.txt"):',
      '            try:',
      '                fd = os.open(f"/proc/{pid}/{leaf}", os.O_RDONLY | os.O_NONBLOCK)',
      '                data = os.read(fd, 1 << 20)',
      '                os.close(fd)',
      '            except OSError:',
      '                report["denied"] += 1',
      '                continue',
      '            if secret in data or seed in data:',
      '                report["found"].append(f"/proc/{pid}/{leaf}")',
      '    for path in glob.glob("/tmp/academy-grader-*/**", recursive=True):',
      '        try:',
      '            if secret in open(path, "rb").read():',
      '                report["found"].append(path)',
      '        except OSError:',
      '            report["denied"] += 1',
      '    time.sleep(0.01)',
      'print(json.dumps(report))',
      '',
    ].join('\n');
    await sh(write('~/spy.py', spy));
    // A spy that started before Check is frozen with the rest, and the learner's own commands wait
    // for the grading to end; this one starts during the check anyway, once its room exists, as an
    // exec in flight would (watched as the grader, whom a grading does not pause).
    const grading = check('slow-secret');
    await expect
      .poll(
        async () =>
          (await shMidGrading('ls /tmp | grep -c "^academy-grader-" || true', { user: 'grader' })).stdout,
        { timeout: 10_000 },
      )
      .toBe('1\n');
    const spied = await shMidGrading('python3 ~/spy.py', { timeoutMs: 10_000 });
    const report = JSON.parse(spied.stdout) as { graderProcesses: number; denied: number; found: string[] };
    expect(report.graderProcesses).toBeGreaterThan(0);
    expect(report.denied).toBeGreaterThan(0);
    expect(report.found).toEqual([]);
    expect((await grading).status).toBe('fail');
    await sh('rm -f ~/spy.py');
  }, 60_000);

  it('holds the learner’s own commands until the grading ends', async () => {
    let gradedAt = 0;
    const grading = check('slow-secret').then((result) => {
      gradedAt = Date.now();
      return result;
    });
    await expect
      .poll(
        async () =>
          (await shMidGrading('ls /tmp | grep -c "^academy-grader-" || true', { user: 'grader' })).stdout,
        { timeout: 10_000 },
      )
      .toBe('1\n');
    const command = await sh('date +%s%3N');
    const ranAt = Number(command.stdout.trim());
    await grading;
    expect(gradedAt).toBeGreaterThan(0);
    expect(ranAt).toBeGreaterThanOrEqual(gradedAt - 1_000);
  }, 60_000);
});

/**
 * A hostile learner, against real sandboxes. Each attack must be contained, and afterwards the
 * runner and a second learner's sandbox must keep working.
 *
 * Network attacks aim only at reserved documentation addresses (TEST-NET, RFC 5737) and the
 * Docker bridge gateway: a sandbox has no interface but loopback, so no packet can leave anyway.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '@/tests/bench/stats';
import { getDocker } from '@/tests/support/docker';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';
import { openTerminal } from '@/tests/support/terminal-client';

let t: TestRunner;
let attacker: string;
let bystander: string;

beforeAll(async () => {
  t = await startTestRunner();
  attacker = await t.startSession('mallory');
  bystander = await t.startSession('bystander');
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 180_000);

type ExecReply = { exitCode: number; stdout: string; stderr: string; timedOut: boolean };

async function run(id: string, command: string, options: { user?: string; timeoutMs?: number } = {}) {
  const response = await t.api(`/v1/sessions/${id}/exec`, {
    method: 'POST',
    json: {
      cmd: ['bash', '-c', command],
      user: options.user ?? 'learner',
      timeoutMs: options.timeoutMs ?? 20_000,
    },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ExecReply;
}

/** The runner answers and both sandboxes still run commands. */
async function expectEverythingStillWorks() {
  expect((await t.api('/v1/health')).status).toBe(200);
  expect((await run(bystander, 'echo alive')).stdout).toBe('alive\n');
  expect((await run(attacker, 'echo still-here')).stdout).toBe('still-here\n');
}

describe('a hostile learner', () => {
  it('cannot exhaust the host’s processes with a fork bomb, and recovers with a restart', async () => {
    await run(attacker, 'echo kept > survivor.txt');
    const bomb = await run(attacker, 'bomb() { bomb | bomb & }; bomb; sleep 30', { timeoutMs: 4_000 });
    expect(bomb.timedOut).toBe(true);
    // The pids limit holds the bomb inside the sandbox; the runner and the neighbour do not notice.
    expect((await t.api('/v1/health')).status).toBe(200);
    expect((await run(bystander, 'echo alive')).stdout).toBe('alive\n');
    // Bomb children that escaped `timeout` may keep the sandbox full: a restart (what the learner's
    // Stop/Start does) clears it, with the workspace kept.
    await t.api(`/v1/sessions/${attacker}/stop`, { method: 'POST' });
    expect((await t.api(`/v1/sessions/${attacker}/resume`, { method: 'POST' })).status).toBe(200);
    expect((await run(attacker, 'cat survivor.txt')).stdout).toBe('kept\n');
    const processes = Number((await run(attacker, 'ls /proc | grep -c "^[0-9]"')).stdout.trim());
    expect(processes).toBeLessThan(20);
    await expectEverythingStillWorks();
  }, 120_000);

  it('cannot take more memory than the sandbox has', async () => {
    const hog = await run(attacker, 'python3 -c "x = bytearray(2 * 1024**3); print(len(x))"');
    expect(hog.exitCode).not.toBe(0);
    expect(hog.stdout).toBe('');
    // Killed for its memory, not for time: the grader must be able to tell the two apart.
    expect(hog.timedOut).toBe(false);
    await expectEverythingStillWorks();
  }, 120_000);

  it('cannot starve another sandbox of CPU', async () => {
    const url = `${t.url}/v1/sessions/${bystander}/terminal?token=`;
    const measure = async () => {
      const term = await openTerminal(url + t.token(bystander, 'bystander'));
      await term.waitFor(/learner@lab/);
      const samples: number[] = [];
      for (let i = 0; i < 25; i++) {
        const from = term.output().length;
        const started = performance.now();
        // The output (rt-10NN) never appears in the typed command (rt-$((NN+1000))), whatever tmux redraws.
        term.type(`echo rt-$((${i}+1000))\r`);
        await term.waitFor(new RegExp(`rt-${i + 1000}`), { from });
        samples.push(performance.now() - started);
      }
      await term.close();
      return percentile(samples, 50);
    };
    const idle = await measure();
    await run(attacker, 'for i in 1 2 3 4; do (while :; do :; done) & done; disown -a; echo started');
    try {
      const loaded = await measure();
      expect(loaded).toBeLessThanOrEqual(Math.max(3 * idle, idle + 15));
    } finally {
      await run(attacker, 'pkill -f "while :" ; pkill -u learner bash; true');
    }
    await expectEverythingStillWorks();
  }, 120_000);

  it('cannot fill the host disk: the home is capped, /tmp is capped, the root is read-only', async () => {
    const small = await t.startSession('mallory-disk', 'small-disk');
    try {
      const hostFreeBefore = fs.statfsSync(t.config.dataDir).bavail * fs.statfsSync(t.config.dataDir).bsize;
      const fill = await run(small, 'dd if=/dev/zero of=fill bs=1M count=500 2>&1; sync', {
        timeoutMs: 60_000,
      });
      expect(fill.stdout).toMatch(/No space left on device/);
      const hostFreeAfter = fs.statfsSync(t.config.dataDir).bavail * fs.statfsSync(t.config.dataDir).bsize;
      expect(hostFreeBefore - hostFreeAfter).toBeLessThanOrEqual(48 * 1024 * 1024 + 8 * 1024 * 1024);

      const tmp = await run(small, 'dd if=/dev/zero of=/tmp/fill bs=1M count=100 2>&1');
      expect(tmp.stdout).toMatch(/No space left on device/);
      for (const target of ['/fill', '/etc/fill', '/usr/fill', '/var/fill', '/opt/labkit/fill']) {
        expect((await run(small, `{ touch ${target}; } 2>&1`)).stdout).toMatch(
          /Read-only file system|Permission denied/,
        );
      }
      // The learner can still free space and carry on.
      expect((await run(small, 'rm fill && echo freed')).stdout).toBe('freed\n');
    } finally {
      await t.api(`/v1/sessions/${small}`, { method: 'DELETE' });
    }
    await expectEverythingStillWorks();
  }, 180_000);

  it('has no network: no route out, not to the host, not to another sandbox', async () => {
    const interfaces = await run(attacker, "awk 'NR>2 {print $1}' /proc/net/dev");
    expect(interfaces.stdout.trim()).toBe('lo:');
    const { docker } = await getDocker();
    const bridge = await docker.getNetwork('bridge').inspect();
    const gateway = (bridge.IPAM?.Config?.[0]?.Gateway as string | undefined) ?? '172.17.0.1';
    for (const [host, port] of [
      ['192.0.2.1', 443],
      ['198.51.100.7', 80],
      [gateway, 2375],
    ] as const) {
      const attempt = await run(
        attacker,
        `python3 -c "import socket; socket.create_connection(('${host}', ${port}), 2)" 2>&1 | tail -1`,
      );
      expect(attempt.stdout).toMatch(/Network is unreachable|No route to host/);
    }
    const dns = await run(
      attacker,
      'python3 -c "import socket; socket.gethostbyname(\'deb.debian.org\')" 2>&1 | tail -1',
    );
    expect(dns.stdout).toMatch(/gaierror|Temporary failure|Name or service not known/);
    await expectEverythingStillWorks();
  }, 60_000);

  it('cannot become root: no sudo, no setuid binaries, no capabilities, no mount, no /proc/sys writes', async () => {
    expect((await run(attacker, 'command -v sudo doas || echo none')).stdout).toMatch(/none/);
    // `su` is there (util-linux) but not setuid, so it cannot switch user.
    expect((await run(attacker, 'su root -c id < /dev/null 2>&1; echo "exit=$?"')).stdout).toMatch(
      /exit=[1-9]/,
    );
    expect((await run(attacker, 'find / -xdev -perm /6000 -type f 2>/dev/null | head')).stdout).toBe('');
    const status = (await run(attacker, 'grep -E "^(CapEff|CapPrm|NoNewPrivs|Seccomp):" /proc/self/status'))
      .stdout;
    expect(status).toMatch(/CapEff:\s+0000000000000000/);
    expect(status).toMatch(/CapPrm:\s+0000000000000000/);
    expect(status).toMatch(/NoNewPrivs:\s+1/);
    expect(status).toMatch(/Seccomp:\s+2/);
    expect((await run(attacker, 'mount -t tmpfs none /tmp/x 2>&1; echo "exit=$?"')).stdout).toMatch(
      /exit=(1|32)/,
    );
    expect((await run(attacker, 'grep " /proc/sys " /proc/mounts')).stdout).toMatch(/ ro,/);
    expect((await run(attacker, '{ echo pwned > /proc/sys/kernel/hostname; } 2>&1')).stdout).toMatch(
      /Read-only file system|Permission denied/,
    );
    expect((await run(attacker, 'id -u')).stdout).toBe('1000\n');
    await expectEverythingStillWorks();
  }, 60_000);

  it('cannot read host secrets through /proc', async () => {
    for (const path of ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/proc/sched_debug']) {
      const read = await run(attacker, `head -c 64 ${path} 2>/dev/null | wc -c`);
      expect(Number(read.stdout.trim())).toBe(0);
    }
    expect((await run(attacker, 'nproc')).stdout).toBe('1\n');
    expect((await run(attacker, 'ls /proc | grep -c "^[0-9]"')).stdout.trim()).not.toBe('');
    // Only the sandbox's own processes are visible.
    expect((await run(attacker, 'ps -eo comm --no-headers | sort -u')).stdout).not.toMatch(
      /dockerd|containerd|node/,
    );
  }, 60_000);

  it('cannot kill or trace the grader’s processes', async () => {
    await run(bystander, 'true');
    const grader = await run(attacker, 'nohup sleep 120 > /dev/null 2>&1 & echo $!', { user: 'grader' });
    const pid = grader.stdout.trim();
    expect(pid).toMatch(/^\d+$/);
    const kill = await run(attacker, `kill -9 ${pid} 2>&1; echo "exit=$?"`);
    expect(kill.stdout).toMatch(/Operation not permitted/);
    expect((await run(attacker, `kill -0 ${pid} 2>&1 && echo alive`, { user: 'grader' })).stdout).toMatch(
      /alive/,
    );
    expect((await run(attacker, `cat /proc/${pid}/environ 2>&1 | head -c 100`)).stdout).toMatch(
      /Permission denied/,
    );
    await run(attacker, `kill ${pid}`, { user: 'grader' });
  }, 60_000);

  it('has no Docker socket, no Docker binary and cannot write the service-socket folder', async () => {
    const probe = await run(
      attacker,
      'ls -la /var/run/docker.sock /run/docker.sock /run/containerd 2>&1; command -v docker dockerd || true',
    );
    expect(probe.stdout).not.toMatch(/^s/m);
    expect(probe.stdout).not.toMatch(/\/docker$/m);
    expect((await run(attacker, 'ln -s /var/run/docker.sock /run/academy/8000.sock 2>&1')).stdout).toMatch(
      /Permission denied/,
    );
  }, 60_000);
});

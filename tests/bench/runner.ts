/**
 * Lab-runner benchmarks against the real Docker engine, each with a baseline measured in the same
 * run: cold and warm-pool start against a bare `docker run --rm <image> true`; 30 concurrent
 * starts; terminal keystroke echo and exec latency against the same operation straight through
 * the Docker API; a check-style exec; idle memory per sandbox against a bare container.
 */
import type Docker from 'dockerode';
import { DockerDriver } from '@/lab-runner/drivers/docker';
import { getDocker, ensureImageForTests } from '@/tests/support/docker';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';
import { openTerminal } from '@/tests/support/terminal-client';
import { percentile, summarize, type BenchResult } from './stats';

const log = (message: string) => console.error(`  ${message}`);

async function timed<T>(operation: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await operation();
  return [performance.now() - started, result];
}

/** `docker run --rm --network none <image> true`, through the Engine API. */
async function bareDockerRun(docker: Docker, image: string): Promise<number> {
  const [ms] = await timed(async () => {
    const container = await docker.createContainer({
      Image: image,
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none', AutoRemove: true },
    });
    await container.start();
    await container.wait({ condition: 'removed' }).catch(() => container.wait());
  });
  return ms;
}

async function startSession(
  t: TestRunner,
  userId: string,
  labId = 'sandbox-basics',
): Promise<{ ms: number; id: string; kind: string }> {
  const [ms, body] = await timed(async () => {
    const response = await t.api('/v1/sessions', {
      method: 'POST',
      json: { userId, labId },
    });
    const json = (await response.json()) as { id: string; startKind: string; message?: string };
    if (!response.ok) throw new Error(`start failed: ${response.status} ${json.message}`);
    return json;
  });
  return { ms, id: body.id, kind: body.startKind };
}

async function destroy(t: TestRunner, id: string) {
  await t.api(`/v1/sessions/${id}`, { method: 'DELETE' });
}

export async function benchRunner(): Promise<BenchResult[]> {
  const { docker } = await getDocker();
  const image = await ensureImageForTests();
  const results: BenchResult[] = [];

  // Baseline: bare docker run.
  log('baseline: bare docker run --rm <image> true');
  await bareDockerRun(docker, image);
  const bare: number[] = [];
  for (let i = 0; i < 10; i++) bare.push(await bareDockerRun(docker, image));

  // Cold starts (no pool).
  log('cold starts');
  const cold = await startTestRunner({ POOL_SIZE: '0', MAX_SESSIONS: '40', MAX_SESSIONS_PER_USER: '5' });
  try {
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { ms, id } = await startSession(cold, `cold-${i}`);
      samples.push(ms);
      await destroy(cold, id);
    }
    results.push(summarize('sandbox start, cold (create → shell usable)', 'ms', samples, bare));

    log('30 concurrent starts');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => startSession(cold, `crowd-${i}`)),
    );
    const ok = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const errors = outcomes.length - ok.length;
    if (errors) log(`${errors} of 30 concurrent starts failed`);
    results.push({
      ...summarize(
        '30 concurrent starts, cold (each: create → shell usable)',
        'ms',
        ok.map((o) => o.ms),
        bare,
      ),
      errors,
    });

    // Idle memory: the crowd's sandboxes after a few quiet seconds, against bare sleeping containers.
    log('idle memory per sandbox');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const memory: number[] = [];
    for (const o of ok.slice(0, 10)) {
      const stats = (await (await cold.api(`/v1/sessions/${o.id}/stats`)).json()) as { memoryBytes: number };
      memory.push(stats.memoryBytes / 1024 / 1024);
    }
    const bareMemory = await bareIdleMemoryMb(docker, image, 5);
    results.push(summarize('idle sandbox memory', 'MB', memory, bareMemory));
    await Promise.all(ok.map((o) => destroy(cold, o.id)));
  } finally {
    await cold.stop();
  }

  // Warm pool.
  log('warm-pool starts');
  const warm = await startTestRunner({ POOL_SIZE: '2', MAX_SESSIONS: '40', MAX_SESSIONS_PER_USER: '5' });
  try {
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      await warm.runner.sessions.waitForPool();
      const { ms, id, kind } = await startSession(warm, `warm-${i}`);
      if (kind !== 'warm') log(`start ${i} was ${kind}, not warm`);
      samples.push(ms);
      await destroy(warm, id);
    }
    results.push(summarize('sandbox start, warm pool (→ shell usable)', 'ms', samples, bare));

    // A lab with services: [tracking] is ready once labkit's tracking server answers too.
    log('warm-pool starts of a lab with the tracking service');
    const tracking: number[] = [];
    const trackingIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      await warm.runner.sessions.waitForPool();
      const { ms, id } = await startSession(warm, `tracking-${i}`, 'tracking-basics');
      tracking.push(ms);
      if (trackingIds.length < 5) trackingIds.push(id);
      else await destroy(warm, id);
    }
    results.push(
      summarize(
        'sandbox start, warm pool, with tracking (→ shell usable, service healthy)',
        'ms',
        tracking,
        samples,
      ),
    );
    log('idle memory per sandbox with the tracking service');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const trackingMemory: number[] = [];
    for (const id of trackingIds) {
      const stats = (await (await warm.api(`/v1/sessions/${id}/stats`)).json()) as { memoryBytes: number };
      trackingMemory.push(stats.memoryBytes / 1024 / 1024);
    }
    results.push(
      summarize(
        'idle sandbox memory, with tracking',
        'MB',
        trackingMemory,
        await bareIdleMemoryMb(docker, image, 5),
      ),
    );
    await Promise.all(trackingIds.map((id) => destroy(warm, id)));

    const id = (await startSession(warm, 'latency')).id;
    results.push(...(await execLatency(warm, id, docker)));
    results.push(await terminalRoundTrip(warm, id, docker));
    await destroy(warm, id);
  } finally {
    await warm.stop();
  }

  // A workshop: the pool sized for the class beforehand, then everyone presses Start at once.
  log('30 concurrent starts with a class-sized warm pool');
  const workshop = await startTestRunner({ POOL_SIZE: '30', MAX_SESSIONS: '40', MAX_SESSIONS_PER_USER: '5' });
  try {
    await workshop.runner.sessions.waitForPool(300_000);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => startSession(workshop, `class-${i}`)),
    );
    const ok = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    results.push({
      ...summarize(
        '30 concurrent starts, warm pool of 30',
        'ms',
        ok.map((o) => o.ms),
        bare,
      ),
      errors: outcomes.length - ok.length,
    });
  } finally {
    await workshop.stop();
  }
  return results;
}

async function bareIdleMemoryMb(docker: Docker, image: string, count: number): Promise<number[]> {
  const containers = await Promise.all(
    Array.from({ length: count }, () =>
      docker.createContainer({
        Image: image,
        Cmd: ['sleep', 'infinity'],
        HostConfig: { NetworkMode: 'none' },
      }),
    ),
  );
  try {
    await Promise.all(containers.map((c) => c.start()));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const values: number[] = [];
    for (const c of containers) {
      const stats = (await c.stats({ stream: false })) as Docker.ContainerStats;
      const extra = (stats.memory_stats.stats ?? {}) as { total_inactive_file?: number };
      values.push(((stats.memory_stats.usage ?? 0) - (extra.total_inactive_file ?? 0)) / 1024 / 1024);
    }
    return values;
  } finally {
    await Promise.all(containers.map((c) => c.remove({ force: true })));
  }
}

/** Keystroke → echo through browser protocol, runner and tmux; baseline: a raw Docker exec TTY. */
async function terminalRoundTrip(t: TestRunner, id: string, docker: Docker): Promise<BenchResult> {
  log('terminal round trip');
  const keystrokes = async (type: (text: string) => void, output: () => string) => {
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const char = String.fromCharCode(97 + (i % 26));
      const before = output().length;
      const started = performance.now();
      type(char);
      while (!output().slice(before).includes(char)) await new Promise((resolve) => setImmediate(resolve));
      samples.push(performance.now() - started);
    }
    return samples;
  };

  const term = await openTerminal(`${t.url}/v1/sessions/${id}/terminal?token=${t.token(id, 'latency')}`);
  await term.waitFor(/learner@lab/);
  term.type('cat\r');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const samples = await keystrokes(term.type, term.output);
  await term.close();

  const driver = new DockerDriver({ docker, sandboxesDir: `${t.config.dataDir}/sandboxes` });
  const tty = await driver.attachTty(id, ['cat'], { cols: 80, rows: 24 });
  let raw = '';
  tty.stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  const baseline = await keystrokes(
    (text) => tty.stream.write(text),
    () => raw,
  );
  await tty.close();
  return summarize('terminal keystroke echo round trip', 'ms', samples, baseline);
}

async function execLatency(t: TestRunner, id: string, docker: Docker): Promise<BenchResult[]> {
  log('exec and check latency');
  const viaApi: number[] = [];
  for (let i = 0; i < 30; i++) {
    const [ms] = await timed(() =>
      t.api(`/v1/sessions/${id}/exec`, { method: 'POST', json: { cmd: ['true'] } }),
    );
    viaApi.push(ms);
  }
  const driver = new DockerDriver({ docker, sandboxesDir: `${t.config.dataDir}/sandboxes` });
  const direct: number[] = [];
  for (let i = 0; i < 30; i++) {
    const [ms] = await timed(() =>
      driver.exec(id, { cmd: ['true'], user: 'learner', timeoutMs: 5000, outputLimitBytes: 1024 }),
    );
    direct.push(ms);
  }
  const check =
    'import json, pathlib\nprint(json.dumps({"status": "pass" if pathlib.Path("/home/learner/work/train.py").exists() else "fail"}))\n';
  const checks: number[] = [];
  for (let i = 0; i < 20; i++) {
    const [ms] = await timed(() =>
      t.api(`/v1/sessions/${id}/exec`, {
        method: 'POST',
        json: { cmd: ['python3', 'check.py'], user: 'grader', files: { 'check.py': check } },
      }),
    );
    checks.push(ms);
  }
  log(`exec p95 ${percentile(viaApi, 95).toFixed(1)} ms`);
  return [
    summarize('exec `true` through the runner API', 'ms', viaApi, direct),
    summarize('check-style exec (python check with files, as grader)', 'ms', checks, direct),
  ];
}

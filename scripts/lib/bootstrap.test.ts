import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';

const bootstrap = pathToFileURL(path.resolve(import.meta.dirname, 'bootstrap.mjs')).href;
const tempDir = tempDirsForEachTest('mlops-academy-bootstrap-');
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/**
 * `npm start` in miniature: a wrapper (like scripts/start.mjs) runs a child (like platform.ts)
 * through runForwardingSignals. The child writes its pid, and on SIGTERM or SIGINT notes the
 * signal, takes a moment to shut down (as the web app and the runner do) and exits 0.
 */
function startWrapper(childBody: string): { wrapper: ChildProcess; dir: string } {
  const dir = tempDir();
  fs.writeFileSync(
    path.join(dir, 'child.mjs'),
    `import fs from 'node:fs';
fs.writeFileSync(${JSON.stringify(path.join(dir, 'child.pid'))}, String(process.pid));
${childBody}`,
  );
  fs.writeFileSync(
    path.join(dir, 'wrapper.mjs'),
    `import { runForwardingSignals } from ${JSON.stringify(bootstrap)};
runForwardingSignals(process.execPath, [${JSON.stringify(path.join(dir, 'child.mjs'))}]);`,
  );
  const wrapper = spawn(process.execPath, [path.join(dir, 'wrapper.mjs')], { stdio: 'ignore' });
  started.push(wrapper);
  return { wrapper, dir };
}

const gracefulChild = (dir: string) => `
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    fs.appendFileSync(${JSON.stringify(path.join(dir, 'signals'))}, signal + '\\n');
    setTimeout(() => process.exit(0), 200);
  });
}
setInterval(() => {}, 1000);`;

async function childPid(dir: string): Promise<number> {
  const file = path.join(dir, 'child.pid');
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(file) || !fs.readFileSync(file, 'utf8')) {
    if (Date.now() > deadline) throw new Error('the child never started');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Number(fs.readFileSync(file, 'utf8'));
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runForwardingSignals (npm start, npm run dev, npm run runner)', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`passes ${signal} to its child and exits with the child's status once the child has stopped`, async () => {
      const dir = tempDir();
      const { wrapper, dir: fixture } = startWrapper(gracefulChild(dir));
      const pid = await childPid(fixture);
      wrapper.kill(signal);
      expect(await exitOf(wrapper)).toEqual({ code: 0, signal: null });
      expect(fs.readFileSync(path.join(dir, 'signals'), 'utf8')).toBe(`${signal}\n`);
      expect(isAlive(pid)).toBe(false);
    });
  }

  it('exits with the status of a child that stops by itself', async () => {
    const { wrapper } = startWrapper('process.exit(3);');
    expect(await exitOf(wrapper)).toEqual({ code: 3, signal: null });
  });

  it('exits with 128 + the signal number when the child is killed', async () => {
    const { wrapper, dir } = startWrapper('setInterval(() => {}, 1000);');
    process.kill(await childPid(dir), 'SIGKILL');
    expect(await exitOf(wrapper)).toEqual({ code: 137, signal: null });
  });
});

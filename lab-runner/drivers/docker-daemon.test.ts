import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isProcessRunning,
  readPidFile,
  stopDockerEngineIfStartedBy,
} from '@/lab-runner/drivers/docker-daemon';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';

const tempDir = tempDirsForEachTest('mlops-academy-pid-');
const quiet = () => {};

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A long-running stand-in for dockerd, in its own process group like the real one. */
function startProcess(command: string, args: string[]): number {
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  children.push(child);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return child.pid;
}

function pidFileWith(content: string): string {
  const file = path.join(tempDir(), 'dockerd.pid');
  fs.writeFileSync(file, content);
  return file;
}

describe('readPidFile', () => {
  it('reads a pid and rejects anything else', () => {
    expect(readPidFile(pidFileWith('4242\n'))).toBe(4242);
    expect(readPidFile(pidFileWith(''))).toBeUndefined();
    expect(readPidFile(pidFileWith('dockerd'))).toBeUndefined();
    expect(readPidFile(pidFileWith('1'))).toBeUndefined(); // never signal init
    expect(readPidFile(pidFileWith('-5'))).toBeUndefined();
    expect(readPidFile(path.join(tempDir(), 'missing.pid'))).toBeUndefined();
  });
});

describe('isProcessRunning', () => {
  it('needs the pid to be alive and to carry the expected name', () => {
    const pid = startProcess('sleep', ['30']);
    expect(isProcessRunning(pid, 'sleep')).toBe(true);
    expect(isProcessRunning(pid, 'dockerd')).toBe(false);
    expect(isProcessRunning(2 ** 22 + 1, 'sleep')).toBe(false); // above pid_max
  });
});

describe('stopDockerEngineIfStartedBy', () => {
  it('stops the recorded process and removes the pid file', async () => {
    const pid = startProcess('sleep', ['30']);
    const file = pidFileWith(`${pid}\n`);
    await expect(stopDockerEngineIfStartedBy(file, { processName: 'sleep', log: quiet })).resolves.toEqual({
      stopped: true,
      pid,
    });
    expect(isProcessRunning(pid, 'sleep')).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('does nothing without a pid file', async () => {
    const file = path.join(tempDir(), 'dockerd.pid');
    await expect(stopDockerEngineIfStartedBy(file, { log: quiet })).resolves.toEqual({ stopped: false });
  });

  it('leaves a process alone when its pid was reused by another program, and drops the stale file', async () => {
    const pid = startProcess('sleep', ['30']);
    const file = pidFileWith(`${pid}\n`);
    await expect(stopDockerEngineIfStartedBy(file, { log: quiet })).resolves.toEqual({ stopped: false, pid });
    expect(isProcessRunning(pid, 'sleep')).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('drops a pid file whose process is gone', async () => {
    const pid = startProcess('sleep', ['30']);
    process.kill(pid, 'SIGKILL');
    const file = pidFileWith(`${pid}\n`);
    await expect.poll(() => isProcessRunning(pid, 'sleep')).toBe(false);
    await expect(stopDockerEngineIfStartedBy(file, { processName: 'sleep', log: quiet })).resolves.toEqual({
      stopped: false,
      pid,
    });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('sends SIGKILL when SIGTERM is ignored for too long', async () => {
    const stubborn = spawn(
      process.execPath,
      ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"],
      { detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    children.push(stubborn);
    await new Promise((resolve) => stubborn.stdout?.once('data', resolve)); // its handler is installed
    const pid = stubborn.pid ?? 0;
    const name = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const file = pidFileWith(`${pid}\n`);
    const lines: string[] = [];
    const result = await stopDockerEngineIfStartedBy(file, {
      processName: name,
      timeoutMs: 500,
      log: (line) => lines.push(line),
    });
    expect(result).toEqual({ stopped: true, pid });
    expect(lines.join('\n')).toContain('SIGKILL');
    expect(isProcessRunning(pid, name)).toBe(false);
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import {
  mayManageServices,
  platformRunsServices,
  serviceAccountUid,
  servicesDown,
  servingProcesses,
} from './services';

const newDir = tempDirsForEachTest('labkit-services-');

describe('who may start and stop services', () => {
  it('finds the labkit account of a sandbox image in its passwd file', () => {
    const passwd = path.join(newDir(), 'passwd');
    fs.writeFileSync(
      passwd,
      'root:x:0:0:root:/root:/bin/bash\nlearner:x:1000:1000:learner:/home/learner:/bin/bash\nlabkit:x:1003:1003:labkit:/var/lib/labkit:/usr/sbin/nologin\n',
    );
    expect(serviceAccountUid(passwd)).toBe(1003);
  });

  it('finds none on a system without one, or without a passwd file', () => {
    const passwd = path.join(newDir(), 'passwd');
    fs.writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\nlabkitten:x:7:7::/:/bin/sh\n');
    expect(serviceAccountUid(passwd)).toBeUndefined();
    expect(serviceAccountUid(path.join(newDir(), 'missing'))).toBeUndefined();
  });

  it('lets only the labkit account manage services where there is one, anyone elsewhere', () => {
    expect(mayManageServices(1003, 1003)).toBe(true);
    expect(mayManageServices(1000, 1003)).toBe(false);
    expect(mayManageServices(0, 1003)).toBe(false);
    expect(mayManageServices(1000, undefined)).toBe(true);
  });

  it('tells a learner who tries that the platform runs the services, and how to see them', () => {
    expect(platformRunsServices).toMatch(/^The platform runs this sandbox's labkit services/);
    expect(platformRunsServices).toContain('`labkit services status`');
  });
});

describe('labkit services down', () => {
  it('stops the processes serving a service from this labkit, and nothing else', async () => {
    const entry = path.join(newDir(), 'labkit.mjs');
    const keepAlive = 'setInterval(() => {}, 1e9)';
    const serving = spawn(process.execPath, ['-e', keepAlive, entry, 'serve', 'tracking'], {
      stdio: 'ignore',
    });
    const other = spawn(process.execPath, ['-e', keepAlive, `${entry}.other`, 'serve', 'tracking'], {
      stdio: 'ignore',
    });
    try {
      const servingExit = new Promise((resolve) => serving.once('exit', (_, signal) => resolve(signal)));
      await expect.poll(() => servingProcesses('tracking', entry)).toEqual([serving.pid]);
      await expect.poll(() => servingProcesses('tracking', `${entry}.other`)).toEqual([other.pid]);

      expect(await servicesDown(['tracking'], entry)).toEqual(['tracking']);
      expect(await servingExit).toBe('SIGTERM');
      expect(other.exitCode).toBeNull();
      expect(await servicesDown(['tracking'], entry)).toEqual([]);
    } finally {
      serving.kill('SIGKILL');
      other.kill('SIGKILL');
    }
  });
});

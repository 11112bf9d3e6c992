import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { parseServeArguments, serve } from './serve';

const newDir = tempDirsForEachTest('labkit-serve-');

describe('parseServeArguments', () => {
  it('reads the service, port, host and data folder, with defaults', () => {
    expect(parseServeArguments(['tracking', '--port', '5055', '--data', '/tmp/x'], {})).toEqual({
      service: 'tracking',
      port: 5055,
      host: '127.0.0.1',
      dataDir: '/tmp/x',
      workspace: '/home/learner/work',
    });
    expect(parseServeArguments(['tracking', '--data', '/tmp/x']).port).toBe(5000);
  });

  it('serves pipelines on its own port, over the workspace given, else $LABKIT_WORKSPACE, else the sandbox’s', () => {
    expect(parseServeArguments(['pipelines', '--data', '/tmp/x'], {})).toMatchObject({
      service: 'pipelines',
      port: 5100,
      workspace: '/home/learner/work',
    });
    const env = { LABKIT_WORKSPACE: '/srv/project' };
    expect(parseServeArguments(['pipelines', '--data', '/tmp/x'], env).workspace).toBe('/srv/project');
    expect(parseServeArguments(['pipelines', '--data', '/tmp/x', '--workspace', '/w'], env).workspace).toBe(
      '/w',
    );
  });

  it('says what is wrong with bad arguments', () => {
    expect(() => parseServeArguments([])).toThrow(/Name a service to serve: tracking, pipelines/);
    expect(() => parseServeArguments(['serving', '--data', 'x'])).toThrow(/Name a service/);
    expect(() => parseServeArguments(['tracking', '--port', 'eighty', '--data', 'x'])).toThrow(
      /--port must be/,
    );
    expect(() => parseServeArguments(['tracking'])).toThrow(/--data <dir> is required/);
    expect(() => parseServeArguments(['tracking', '--data', 'x', '--colour', 'red'])).toThrow();
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('labkit serve tracking', () => {
  it('runs the tracking server as a process, keeps its data across a restart, and stops on SIGTERM', async () => {
    const dataDir = newDir();
    const port = await freePort();
    const main = path.join(import.meta.dirname, 'main.ts');
    const start = async () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', main, 'serve', 'tracking', '--port', String(port), '--data', dataDir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill('SIGKILL');
      throw new Error('labkit serve did not answer /health within 20 s');
    };
    const stop = async (child: ReturnType<typeof spawn>) => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    };
    const api = `http://127.0.0.1:${port}/api/2.0/mlflow`;

    const first = await start();
    const created = await fetch(`${api}/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'delivery-times' }),
    });
    expect(created.status).toBe(200);
    const { experiment_id } = (await created.json()) as { experiment_id: string };
    expect(await stop(first)).toBe(0);

    const second = await start();
    try {
      const found = await fetch(`${api}/experiments/get-by-name?experiment_name=delivery-times`);
      expect(
        ((await found.json()) as { experiment: { experiment_id: string } }).experiment.experiment_id,
      ).toBe(experiment_id);
    } finally {
      await stop(second);
    }
  }, 60_000);
});

describe('labkit serve pipelines', () => {
  it('serves the workspace named, read-only, and stops when asked', async () => {
    const workspace = newDir();
    const port = await freePort();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const stop = await serve({ service: 'pipelines', port, host: '127.0.0.1', dataDir: newDir(), workspace });
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/health`)).text()).toBe('OK');
      const view = await fetch(`http://127.0.0.1:${port}/api/v1/pipeline`);
      expect(await view.json()).toMatchObject({ project: null, projects: [] });
    } finally {
      await stop();
      log.mockRestore();
    }
  });
});

/**
 * The sandbox image, against real Docker: built (or found) by ensureSandboxImage, then checked
 * from inside a hardened container the way the lab runner starts one.
 */
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  imageInputsHash,
  inputsHashLabel,
  removeOldSandboxImages,
  sandboxImageLabel,
  sandboxImageLatest,
  sandboxImageRef,
  sandboxImageRepository,
} from '@/lab-runner/image/build';
import {
  ensureImageForTests,
  execInContainer,
  getDocker,
  imageBuildTimeoutMs,
  removeContainer,
  startHardenedContainer,
  testContainerLabel,
} from '@/tests/support/docker';

/** A one-file image, labelled like ours unless `label` is false. */
async function importTinyImage(docker: Docker, repo: string, tag: string, label = true): Promise<string> {
  const archive = pack();
  archive.entry({ name: 'hello.txt' }, 'hello\n');
  archive.finalize();
  // tar-stream's streamx stream is not typed as a Node stream; Readable.from bridges it.
  const response = await docker.importImage(Readable.from(archive), {
    repo,
    tag,
    changes: label ? [`LABEL ${sandboxImageLabel}=lab`] : [],
  });
  for await (const chunk of response) void chunk;
  return (await docker.getImage(`${repo}:${tag}`).inspect()).Id;
}

async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch {
    return false;
  }
}

describe('sandbox image', () => {
  let docker: Docker;
  let ref: string;
  let container: Docker.Container | undefined;

  beforeAll(async () => {
    docker = (await getDocker()).docker;
    ref = await ensureImageForTests();
    container = await startHardenedContainer(docker, ref);
  }, imageBuildTimeoutMs);

  afterAll(async () => {
    await removeContainer(container);
  });

  const run = async (command: string, user?: string) => {
    if (!container) throw new Error('no container');
    return execInContainer(container, ['sh', '-c', command], { user });
  };

  it('is tagged with the inputs hash, labelled, and :latest points at it', async () => {
    expect(ref).toBe(sandboxImageRef());
    const image = await docker.getImage(ref).inspect();
    expect(image.Config.Labels).toMatchObject({
      [sandboxImageLabel]: 'lab',
      [inputsHashLabel]: imageInputsHash(),
    });
    expect(image.Config.User).toBe('learner');
    expect(image.Config.WorkingDir).toBe('/home/learner/work');
    expect(image.Config.Env).toEqual(
      expect.arrayContaining(['LANG=C.UTF-8', 'MPLBACKEND=Agg', 'HOME=/home/learner']),
    );
    expect((await docker.getImage(sandboxImageLatest).inspect()).Id).toBe(image.Id);
  });

  it('runs the Python data stack', async () => {
    const result = await run(
      "python3 -c 'import numpy, pandas, scipy, sklearn, matplotlib, joblib, yaml, requests, pytest; " +
        'import matplotlib.pyplot, scipy.stats, sklearn.linear_model; print("ok")\'',
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: 'ok\n' });
  });

  it('has Node for labkit and the everyday tools', async () => {
    const node = await run('node --version');
    expect(node.exitCode).toBe(0);
    expect(node.stdout).toMatch(/^v\d+\.\d+\.\d+\n$/);
    for (const command of ['git --version', 'tmux -V', 'socat -V', 'curl --version', 'bash --version']) {
      const result = await run(command);
      expect(result.exitCode, `${command}: ${result.stderr}`).toBe(0);
    }
  });

  it('runs as the learner, with grader and bridge users next to it', async () => {
    expect((await run('id')).stdout).toMatch(/^uid=1000\(learner\) gid=1000\(learner\)/);
    const users = (await run('getent passwd grader bridge')).stdout.trim().split('\n');
    expect(users).toEqual([
      expect.stringMatching(/^grader:x:1001:1001:/),
      expect.stringMatching(/^bridge:x:1002:1002:.*:\/usr\/sbin\/nologin$/),
    ]);
    expect((await run('id', '1001:1001')).stdout).toMatch(/^uid=1001\(grader\)/);
  });

  it('has no setuid or setgid programs and no sudo', async () => {
    const setuid = await run('find / -xdev -perm /6000 -type f 2>/dev/null');
    expect(setuid.stdout).toBe('');
    const sudo = await run('command -v sudo || ls /usr/bin/sudo');
    expect(sudo.exitCode).not.toBe(0);
  });

  it('has the workspace, the service socket folder and the labkit folder', async () => {
    expect((await run('stat -c %u:%g:%a /home/learner/work')).stdout).toBe('1000:1000:755\n');
    expect((await run('pwd')).stdout).toBe('/home/learner/work\n');
    expect((await run('test -d /run/academy && test -d /opt/labkit/bin && echo ok')).stdout).toBe('ok\n');
    expect((await run('echo $PATH')).stdout).toMatch(/^\/opt\/labkit\/bin:/);
    expect((await run('cat /etc/mlops-academy-image')).stdout).toContain(`inputs-hash=${imageInputsHash()}`);
  });

  it('ships labkit: the command on PATH, the Python client importable, both owned by root', async () => {
    const help = await run('labkit --help');
    expect(help.exitCode, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/labkit <command>/);
    const client = await run('cd / && python3 -c "import labkit, sys; print(labkit.__file__)"');
    expect(client.stdout).toMatch(/^\/opt\/labkit\/python\/labkit\/__init__\.py/);
    expect(
      (
        await run(
          'find /opt/labkit ! -user root | head -1; test -w /opt/labkit/lib/labkit.mjs || echo read-only',
        )
      ).stdout,
    ).toBe('read-only\n');
  });

  it('gives login shells the workspace, the PATH and the learner prompt', async () => {
    const login = await run('cd / && bash -lic \'pwd; echo $PATH; echo "$PS1"\' 2>/dev/null');
    const [pwd, path, prompt] = login.stdout.trim().split('\n');
    expect(pwd).toBe('/home/learner/work');
    expect(path).toMatch(/^\/opt\/labkit\/bin:/);
    expect(prompt).toContain('\\u@lab');
    expect((await run('tmux -f /etc/tmux.conf start-server \\; show -g history-limit')).stdout).toContain(
      'history-limit 10000',
    );
  });

  it('removes old sandbox images that nothing uses, and nothing else', async () => {
    const tag = (name: string) => `test-${name}-${process.pid}`;
    const unused = await importTinyImage(docker, sandboxImageRepository, tag('unused'));
    const used = await importTinyImage(docker, sandboxImageRepository, tag('used'));
    const shared = await importTinyImage(docker, sandboxImageRepository, tag('shared'));
    await docker.getImage(shared).tag({ repo: 'mlops-academy-test/other', tag: tag('shared') });
    const unlabelled = await importTinyImage(docker, sandboxImageRepository, tag('unlabelled'), false);
    const user = await docker.createContainer({
      Image: `${sandboxImageRepository}:${tag('used')}`,
      Cmd: ['/nothing'],
      Labels: { [testContainerLabel]: '1' },
    });
    try {
      const removed = await removeOldSandboxImages(docker, ref);
      expect(removed).toContain(`${sandboxImageRepository}:${tag('unused')}`);
      expect(await imageExists(docker, unused)).toBe(false);
      for (const kept of [used, shared, unlabelled, ref, sandboxImageLatest]) {
        expect(await imageExists(docker, kept), kept).toBe(true);
      }
    } finally {
      await user.remove({ force: true });
      for (const id of [unused, used, shared, unlabelled]) {
        await docker
          .getImage(id)
          .remove({ force: true })
          .catch(() => undefined);
      }
    }
  });
});

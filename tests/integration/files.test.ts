/**
 * The file API against a real sandbox, including the tricks a hostile learner would try. Every
 * refusal is a clear 4xx, and nothing outside /home/learner/work is read or written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';

let t: TestRunner;
let id: string;
const user = 'files-user';

beforeAll(async () => {
  t = await startTestRunner();
  id = await t.startSession(user);
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

const filesUrl = (path: string) => `/v1/sessions/${id}/files?path=${encodeURIComponent(path)}`;
const asLearner = () => ({ headers: { 'x-academy-token': t.token(id, user), authorization: '' } });

async function shell(command: string): Promise<string> {
  const response = await t.api(`/v1/sessions/${id}/exec`, {
    method: 'POST',
    json: { cmd: ['sh', '-c', command] },
  });
  return ((await response.json()) as { stdout: string }).stdout;
}

async function expectError(response: Response, status: number, code: string, message?: RegExp) {
  const body = (await response.json()) as { error: string; message: string };
  expect({ status: response.status, error: body.error }).toEqual({ status, error: code });
  if (message) expect(body.message).toMatch(message);
}

describe('the file API', () => {
  it('lists the workspace, reads, writes, creates folders, moves and deletes', async () => {
    const root = (await (await t.api(filesUrl(''))).json()) as { entries: { name: string; type: string }[] };
    expect(root.entries.map((e) => [e.name, e.type])).toEqual([
      ['data', 'directory'],
      ['train.py', 'file'],
    ]);

    const file = (await (await t.api(filesUrl('train.py'))).json()) as { content: string };
    expect(file.content).toContain('accuracy');

    const written = await t.api(filesUrl('src/model/params.yaml'), {
      method: 'PUT',
      json: { content: 'lr: 0.1\n' },
    });
    expect(written.status).toBe(200);
    expect(await shell('cat src/model/params.yaml; stat -c %U src/model/params.yaml')).toBe(
      'lr: 0.1\nlearner\n',
    );

    expect((await t.api(filesUrl('notebooks'), { method: 'PUT', json: { type: 'directory' } })).status).toBe(
      200,
    );
    await expectError(
      await t.api(filesUrl('notebooks'), { method: 'PUT', json: { type: 'directory' } }),
      409,
      'ALREADY_EXISTS',
    );

    const moved = await t.api(`/v1/sessions/${id}/files/move`, {
      method: 'POST',
      json: { from: 'src/model/params.yaml', to: 'params.yaml' },
    });
    expect(moved.status).toBe(200);
    expect(await shell('ls src/model; cat params.yaml')).toBe('lr: 0.1\n');

    expect((await t.api(filesUrl('src'), { method: 'DELETE' })).status).toBe(200);
    await expectError(await t.api(filesUrl('src')), 404, 'FILE_NOT_FOUND');
  });

  it('lists the whole workspace as a tree, without descending into tool folders', async () => {
    await shell(
      'mkdir -p .git/objects pkg/__pycache__ pkg/sub && touch pkg/sub/a.py pkg/__pycache__/x.pyc .git/HEAD',
    );
    try {
      const response = await t.api(`/v1/sessions/${id}/files/tree`, asLearner());
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        entries: { path: string; type: string; skipped?: boolean; modifiedMs: number }[];
        truncated: boolean;
      };
      expect(body.truncated).toBe(false);
      // (Earlier tests leave other files behind: look at these paths only.)
      const mine = body.entries.filter((e) => /^(\.git|data|pkg|train\.py)(\/|$)/.test(e.path));
      expect(mine.map((e) => (e.skipped ? `${e.path} (skipped)` : e.path))).toEqual([
        '.git (skipped)',
        'data',
        'data/sample.csv',
        'pkg',
        'pkg/__pycache__ (skipped)',
        'pkg/sub',
        'pkg/sub/a.py',
        'train.py',
      ]);
      expect(body.entries.every((e) => e.modifiedMs > 0)).toBe(true);
    } finally {
      await shell('rm -rf .git pkg');
    }
  });

  it('is reachable from the browser with the session token', async () => {
    const response = await t.api(filesUrl('train.py'), asLearner());
    expect(response.status).toBe(200);
  });

  it.each([
    ['../x', /not allowed/],
    ['a/../../x', /not allowed/],
    ['/etc/passwd', /without a leading \//],
    ['..\\x', /use \//],
    ['a\u0000b', /control characters/],
    ['n'.repeat(300), /255 bytes/],
  ])('refuses the path %j with 400 INVALID_PATH', async (path, message) => {
    await expectError(await t.api(filesUrl(path)), 400, 'INVALID_PATH', message);
    await expectError(
      await t.api(filesUrl(path), { method: 'PUT', json: { content: 'x' } }),
      400,
      'INVALID_PATH',
    );
  });

  it('treats %2e%2e as a plain name after decoding once, never as ..', async () => {
    const response = await t.api(`/v1/sessions/${id}/files?path=%252e%252e%2Fescape.txt`, {
      method: 'PUT',
      json: { content: 'x' },
    });
    expect(response.status).toBe(200);
    expect(await shell('ls "%2e%2e"')).toBe('escape.txt\n');
    expect(await shell('ls /home/learner/escape.txt 2>&1 || true')).toMatch(/No such file/);
  });

  it('does not follow a symlink to /etc/passwd planted from the terminal, reading or writing', async () => {
    await shell('ln -sf /etc/passwd passwd-link && mkdir -p d && ln -sfn /etc d/etc-dir');
    await expectError(await t.api(filesUrl('passwd-link')), 400, 'INVALID_PATH', /symbolic link/);
    await expectError(
      await t.api(filesUrl('passwd-link'), { method: 'PUT', json: { content: 'owned' } }),
      400,
      'INVALID_PATH',
    );
    await expectError(
      await t.api(filesUrl('d/etc-dir/hostname')),
      400,
      'INVALID_PATH',
      /outside the workspace/,
    );
    await expectError(
      await t.api(filesUrl('d/etc-dir/new-file'), { method: 'PUT', json: { content: 'x' } }),
      400,
      'INVALID_PATH',
    );
    const listing = (await (await t.api(filesUrl(''))).json()) as {
      entries: { name: string; type: string; target?: string }[];
    };
    expect(listing.entries.find((e) => e.name === 'passwd-link')).toMatchObject({
      type: 'symlink',
      target: '/etc/passwd',
    });
    // Deleting the link removes the link, not what it points at.
    expect((await t.api(filesUrl('d'), { method: 'DELETE' })).status).toBe(200);
    expect((await t.api(filesUrl('passwd-link'), { method: 'DELETE' })).status).toBe(200);
    expect(await shell('test -s /etc/passwd && echo intact')).toBe('intact\n');
  });

  it('refuses a file over the size limit, both ways', async () => {
    await shell('head -c 2000000 /dev/zero | tr "\\0" a > big.txt');
    await expectError(await t.api(filesUrl('big.txt')), 413, 'FILE_TOO_LARGE', /up to 1048576 bytes/);
    await expectError(
      await t.api(filesUrl('too-big.txt'), { method: 'PUT', json: { content: 'b'.repeat(1024 * 1024 + 1) } }),
      413,
      'FILE_TOO_LARGE',
    );
    expect(await shell('ls too-big.txt 2>&1 || true')).toMatch(/No such file/);
  });

  it('lists a non-UTF-8 file name without failing, and refuses to open it by a mangled name', async () => {
    await shell('touch "$(printf \'caf\\351.txt\')"');
    const listing = (await (await t.api(filesUrl(''))).json()) as {
      entries: { name: string; unreadableName?: boolean }[];
    };
    expect(listing.entries.find((e) => e.unreadableName)).toMatchObject({ name: 'caf\ufffd.txt' });
    await expectError(await t.api(filesUrl('caf\ufffd.txt')), 400, 'INVALID_PATH', /not valid UTF-8/);
  });

  it('refuses to open a binary file as text', async () => {
    await shell('head -c 4096 /dev/urandom > model.bin; printf "\\x89PNG\\0\\0" > image.png');
    await expectError(await t.api(filesUrl('model.bin')), 415, 'BINARY_FILE');
    await expectError(await t.api(filesUrl('image.png')), 415, 'BINARY_FILE');
  });

  it('refuses to write over a folder, or treat a file as a folder', async () => {
    await expectError(
      await t.api(filesUrl('data'), { method: 'PUT', json: { content: 'x' } }),
      409,
      'NOT_A_FILE',
    );
    await expectError(
      await t.api(filesUrl('train.py/inner.txt'), { method: 'PUT', json: { content: 'x' } }),
      409,
      'NOT_A_DIRECTORY',
    );
  });

  it('never opens a FIFO (which would hang) or a device', async () => {
    await shell('mkfifo pipe');
    await expectError(await t.api(filesUrl('pipe')), 409, 'NOT_A_FILE');
  });

  it('refuses to delete or move the workspace itself', async () => {
    await expectError(await t.api(filesUrl(''), { method: 'DELETE' }), 400, 'INVALID_PATH');
    await expectError(
      await t.api(`/v1/sessions/${id}/files/move`, { method: 'POST', json: { from: '', to: 'x' } }),
      400,
      'INVALID_PATH',
    );
  });

  it('rejects a body that is not the documented shape', async () => {
    await expectError(
      await t.api(filesUrl('x.txt'), { method: 'PUT', json: { text: 'x' } }),
      400,
      'BAD_REQUEST',
    );
    await expectError(
      await t.api(filesUrl('x.txt'), { method: 'PUT', json: { content: 42 } }),
      400,
      'BAD_REQUEST',
    );
  });
});

/**
 * Every code block a chapter marks as runnable (```python run) runs in the sandbox image, the
 * environment learners have, and exits 0. A broken example fails naming its chapter and line.
 */
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChapters } from '@/lib/content/chapters';
import {
  ensureImageForTests,
  execInContainer,
  getDocker,
  removeContainer,
  startHardenedContainer,
} from '@/tests/support/docker';

type Example = { file: string; line: number; code: string };

function runnableExamples(file: string, source: string): Example[] {
  const examples: Example[] = [];
  for (const match of source.matchAll(/^```python run[^\n]*\n([\s\S]*?)^```/gm)) {
    examples.push({ file, line: source.slice(0, match.index).split('\n').length, code: match[1]! });
  }
  return examples;
}

const examples = loadChapters().flatMap((chapter) => runnableExamples(chapter.file, chapter.source));
let container: Docker.Container | undefined;

beforeAll(async () => {
  const { docker } = await getDocker();
  container = await startHardenedContainer(docker, await ensureImageForTests(), {
    Cmd: ['sleep', 'infinity'],
    HostConfig: { Memory: 1024 * 1024 * 1024, Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=256m' } },
  });
}, 600_000);

afterAll(async () => {
  await removeContainer(container);
});

describe('runnable examples', () => {
  it('exist in the course', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  it.each(examples.map((example) => [`${example.file}:${example.line}`, example] as const))(
    '%s runs and exits 0',
    async (where, example) => {
      // A fresh folder per example; the code is passed as an argument, never through a shell.
      const result = await execInContainer(
        container!,
        ['sh', '-c', 'cd "$(mktemp -d)" && exec python3 -c "$1"', 'run-example', example.code],
        { timeoutMs: 60_000 },
      );
      const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
      expect(result.exitCode, `${where} exited ${result.exitCode}:\n${tail}`).toBe(0);
    },
    90_000,
  );
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { DvcRepo } from '../../data/repo';
import { RunStateStore } from '../run-state';
import { makeRepo } from '../testing';
import { readLog } from './logs';

const newDir = tempDirsForEachTest('labkit-pipelines-logs-');

function repoWithLog(text: string | Buffer, stage = 'train') {
  const repo = DvcRepo.require(makeRepo(newDir()));
  const file = new RunStateStore(repo).logPath(stage);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return { repo, file };
}

describe('readLog', () => {
  it('sends a short log whole, then only what was appended since', () => {
    const { repo, file } = repoWithLog('line one\n');
    const first = readLog(repo, 'train', -1);
    expect(first).toMatchObject({ offset: 0, nextOffset: 9, size: 9, text: 'line one\n', truncated: false });
    expect(readLog(repo, 'train', first.nextOffset)).toMatchObject({ text: '', nextOffset: 9 });
    fs.appendFileSync(file, 'line two\n');
    expect(readLog(repo, 'train', first.nextOffset)).toMatchObject({
      offset: 9,
      nextOffset: 18,
      text: 'line two\n',
      restarted: false,
    });
  });

  it('starts again from the top when the log was rewritten by a new run', () => {
    const { repo, file } = repoWithLog('a long first run\n');
    fs.writeFileSync(file, 'new\n');
    expect(readLog(repo, 'train', 17)).toMatchObject({ offset: 0, text: 'new\n', restarted: true });
  });

  it('sends only the end of a long log, never half a character', () => {
    // "é" is two bytes: cutting 7 bytes from the end of "ééééé" lands inside one.
    const { repo } = repoWithLog('éééééé');
    const tail = readLog(repo, 'train', -1, 7);
    expect(tail).toMatchObject({ text: 'ééé', offset: 6, nextOffset: 12, size: 12, truncated: true });
    const fromStart = readLog(repo, 'train', 0, 5);
    expect(fromStart.truncated).toBe(true);
    expect(fromStart.text).toBe('éé');
  });

  it('holds back a character still being written', () => {
    const { repo, file } = repoWithLog(Buffer.from([0x61, 0xc3]));
    const first = readLog(repo, 'train', 0);
    expect(first).toMatchObject({ text: 'a', nextOffset: 1 });
    fs.appendFileSync(file, Buffer.from([0xa9]));
    expect(readLog(repo, 'train', first.nextOffset)).toMatchObject({ text: 'é', nextOffset: 3 });
  });

  it('gives an empty log for a stage that never ran, and the stage’s last run with it', () => {
    const repo = DvcRepo.require(makeRepo(newDir()));
    expect(readLog(repo, 'nope', -1)).toEqual({
      stage: 'nope',
      offset: 0,
      nextOffset: 0,
      size: 0,
      text: '',
      restarted: false,
      truncated: false,
    });
    new RunStateStore(repo).record('sub/dvc.yaml:eval@us', {
      state: 'failed',
      startedAt: 1,
      endedAt: 3,
      durationMs: 2,
      exitCode: 1,
      log: 'x',
      pid: process.pid,
    });
    expect(readLog(repo, 'sub/dvc.yaml:eval@us', -1).lastRun).toEqual({
      state: 'failed',
      startedAt: 1,
      endedAt: 3,
      durationMs: 2,
      exitCode: 1,
    });
  });

  it('does not follow a log file the learner replaced by a link to a file outside the project', () => {
    const secret = path.join(newDir(), 'secret.txt');
    fs.writeFileSync(secret, 'not yours');
    const { repo, file } = repoWithLog('');
    fs.rmSync(file);
    fs.symlinkSync(secret, file);
    expect(readLog(repo, 'train', -1).text).toBe('');
  });
});

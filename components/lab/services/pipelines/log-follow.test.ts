import { describe, expect, it } from 'vitest';
import type { LogChunk } from '@/labkit/pipelines/wire';
import { emptyLog, followLog } from './log-follow';

const chunk = (offset: number, text: string, extra: Partial<LogChunk> = {}): LogChunk => ({
  stage: 'train',
  offset,
  nextOffset: offset + text.length,
  size: offset + text.length,
  text,
  restarted: false,
  truncated: false,
  ...extra,
});

describe('followLog', () => {
  it('starts with what the service sent, then appends what follows', () => {
    let log = followLog(emptyLog('train'), chunk(0, 'one\n'));
    expect(log).toEqual({ stage: 'train', text: 'one\n', nextOffset: 4, truncated: false });
    log = followLog(log, chunk(4, 'two\n'));
    expect(log.text).toBe('one\ntwo\n');
    expect(followLog(log, chunk(8, ''))).toEqual(log);
  });

  it('starts again when the log was rewritten or does not continue where it left off', () => {
    const log = followLog(emptyLog('train'), chunk(0, 'old run\n'));
    expect(followLog(log, chunk(0, 'new\n', { restarted: true })).text).toBe('new\n');
    expect(followLog(log, chunk(100, 'tail\n', { truncated: true }))).toMatchObject({
      text: 'tail\n',
      truncated: true,
    });
  });

  it('keeps only the end of a long log, and ignores another stage’s chunk', () => {
    const log = followLog(emptyLog('train'), chunk(0, 'abcdef'), 4);
    expect(log).toMatchObject({ text: 'cdef', truncated: true });
    expect(followLog(log, { ...chunk(6, 'x'), stage: 'other' })).toBe(log);
  });
});

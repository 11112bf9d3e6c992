/**
 * A stage's log as the page follows it: the text so far and where to ask from next. Each chunk the
 * service sends is appended, or replaces the text when the log was rewritten (a new run of the
 * stage); the page keeps the last `maxChars` characters only.
 */
import type { LogChunk } from '@/labkit/pipelines/wire';

export type FollowedLog = {
  stage: string;
  text: string;
  /** Where the next request starts (bytes); -1 before the first, asking for the log's end. */
  nextOffset: number;
  /** Earlier text was left out (by the service or by the page). */
  truncated: boolean;
};

export const emptyLog = (stage: string): FollowedLog => ({
  stage,
  text: '',
  nextOffset: -1,
  truncated: false,
});

/** Text kept on the page: the end of a long log. */
export const maxLogChars = 200_000;

export function followLog(log: FollowedLog, chunk: LogChunk, maxChars = maxLogChars): FollowedLog {
  if (chunk.stage !== log.stage) return log;
  const isFresh = log.nextOffset < 0 || chunk.restarted || chunk.offset !== log.nextOffset;
  const text = isFresh ? chunk.text : log.text + chunk.text;
  const cut = text.length > maxChars;
  return {
    stage: log.stage,
    text: cut ? text.slice(text.length - maxChars) : text,
    nextOffset: chunk.nextOffset,
    truncated: cut || chunk.truncated || (!isFresh && log.truncated),
  };
}

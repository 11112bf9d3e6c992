import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeInvalid, firstIssue, listIssues } from './zod-issues';

const schema = z.object({
  steps: z.array(z.object({ id: z.string().regex(/^[a-z]+$/, 'must be lowercase') })),
  PORT: z.number({ error: 'must be a number' }),
});

function errorOf(value: unknown): z.ZodError {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a failure');
  return result.error;
}

describe('zod issues in words', () => {
  it('names the first field at fault with a dotted path', () => {
    expect(firstIssue(errorOf({ steps: [{ id: 'ok' }, { id: 'Bad' }], PORT: 1 }))).toEqual({
      field: 'steps.1.id',
      message: 'must be lowercase',
    });
  });

  it('says what was invalid in one sentence, with or without a field', () => {
    expect(describeInvalid('request body', errorOf({ steps: [{ id: 'X' }], PORT: 1 }))).toBe(
      'Invalid request body: steps.0.id: must be lowercase.',
    );
    const rootError = z.string().max(3, 'path is too long').safeParse('abcd').error!;
    expect(describeInvalid('path', rootError)).toBe('Invalid path: path is too long.');
  });

  it('lists every issue for settings a person fixes at once', () => {
    expect(listIssues(errorOf({ steps: [{ id: 'X' }], PORT: 'x' }))).toBe(
      'steps.0.id: must be lowercase; PORT: must be a number',
    );
  });
});

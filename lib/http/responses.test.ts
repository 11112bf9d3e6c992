import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { RunnerRequestError } from '@/lib/runner/client';
import { ApiError } from './api-error';
import { errorResponse, readJson, refuseCrossSite } from './responses';

const request = (headers: Record<string, string>, body?: string) =>
  new Request('http://academy.local:3000/api/labs/x/session', { method: 'POST', headers, body });

describe('refuseCrossSite', () => {
  it('lets a same-origin request through', () => {
    expect(
      refuseCrossSite(request({ host: 'academy.local:3000', origin: 'http://academy.local:3000' })),
    ).toBeNull();
    expect(
      refuseCrossSite(request({ host: 'academy.local:3000', 'sec-fetch-site': 'same-origin' })),
    ).toBeNull();
  });

  it('refuses another site, a forged null origin, and a request that says nothing', async () => {
    const cases: Record<string, string>[] = [
      { host: 'academy.local:3000', origin: 'http://evil.example' },
      { host: 'academy.local:3000', origin: 'null' },
      { host: 'academy.local:3000', origin: 'http://academy.local:3000', 'sec-fetch-site': 'cross-site' },
      { host: 'academy.local:3000' },
    ];
    for (const headers of cases) {
      const refused = refuseCrossSite(request(headers));
      expect(refused?.status, JSON.stringify(headers)).toBe(403);
      expect(await refused?.json()).toMatchObject({ error: 'CROSS_SITE' });
    }
  });
});

describe('readJson', () => {
  const schema = z.strictObject({ currentStep: z.string().min(1) });

  it('parses a body that fits, and treats an empty body as {}', async () => {
    expect(await readJson(request({}, '{"currentStep":"a"}'), schema)).toEqual({ currentStep: 'a' });
    await expect(readJson(request({}), schema)).rejects.toBeInstanceOf(ApiError);
    expect(await readJson(request({}), z.object({}))).toEqual({});
  });

  it('throws a 400 with the field at fault for bad JSON or a bad shape', async () => {
    await expect(readJson(request({}, '{nope'), schema)).rejects.toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
      message: 'The request body is not valid JSON.',
    });
    await expect(readJson(request({}, '{"currentStep":5}'), schema)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Invalid request body: currentStep: .+\.$/),
    });
  });
});

describe('errorResponse', () => {
  it('answers an ApiError with its own status, code and message', async () => {
    const response = errorResponse(new ApiError(409, 'LAST_ADMIN', 'Keep one admin.'), 'test');
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: 'LAST_ADMIN', message: 'Keep one admin.' });
  });

  it("passes the runner's refusals on, and its own failures as a 502", async () => {
    const refused = errorResponse(new RunnerRequestError(409, 'SESSION_BUSY', 'Busy.'), 'test');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: 'SESSION_BUSY', message: 'Busy.' });
    expect(errorResponse(new RunnerRequestError(500, 'INTERNAL', 'Oops.'), 'test').status).toBe(502);
    expect(errorResponse(new RunnerRequestError(503, 'RUNNER_UNAVAILABLE', 'Down.'), 'test').status).toBe(
      503,
    );
  });

  it('logs anything else and answers a 500 without its details', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = errorResponse(new Error('secret detail'), 'test');
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain('secret detail');
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});

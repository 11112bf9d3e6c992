import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJson, refuseCrossSite } from './responses';

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
    const empty = await readJson(request({}), schema);
    expect(empty).toBeInstanceOf(Response);
  });

  it('answers 400 with the field at fault for bad JSON or a bad shape', async () => {
    const broken = (await readJson(request({}, '{nope'), schema)) as Response;
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ message: 'The request body is not valid JSON.' });
    const wrong = (await readJson(request({}, '{"currentStep":5}'), schema)) as Response;
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toMatch(
      /^Invalid request body: currentStep: /,
    );
  });
});

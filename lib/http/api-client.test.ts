// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiFetch, apiErrorOf } from './api-client';
import { ApiError } from './api-error';

function clearCookies() {
  for (const part of document.cookie.split(';')) {
    const name = part.split('=')[0]?.trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  clearCookies();
});

describe('apiFetch', () => {
  it('sends the CSRF cookie back as a header, with a JSON content type for a string body', async () => {
    document.cookie = 'academy_csrf=token-from-cookie; path=/';
    const fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetchMock);
    await apiFetch('/api/labs/x/progress', { method: 'POST', body: '{"currentStep":"a"}' });
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    const headers = new Headers(init.headers);
    expect(headers.get('x-csrf-token')).toBe('token-from-cookie');
    expect(headers.get('content-type')).toBe('application/json');
    expect(init.credentials).toBe('same-origin');
  });

  it('asks /api/auth/me for a token first when the browser has none', async () => {
    const fetchMock = vi.fn(async (url: string) => {
      if (url === '/api/auth/me') document.cookie = 'academy_csrf=fresh-token; path=/';
      return new Response(null, { status: 204 });
    });
    vi.stubGlobal('fetch', fetchMock);
    await apiFetch('/api/auth/logout', { method: 'POST' });
    expect(fetchMock.mock.calls.map((call) => call[0])).toEqual(['/api/auth/me', '/api/auth/logout']);
    const init = (fetchMock.mock.calls[1] as unknown as [string, RequestInit])[1];
    expect(new Headers(init.headers).get('x-csrf-token')).toBe('fresh-token');
  });

  it('leaves a GET alone', async () => {
    document.cookie = 'academy_csrf=token-from-cookie; path=/';
    const fetchMock = vi.fn(async () => new Response('{}'));
    vi.stubGlobal('fetch', fetchMock);
    await apiFetch('/api/auth/me');
    const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(new Headers(init.headers).has('x-csrf-token')).toBe(false);
  });
});

describe('apiErrorOf', () => {
  it("reads the server's status, code and message back into an ApiError", async () => {
    const error = await apiErrorOf(
      Response.json({ error: 'NOT_SIGNED_IN', message: 'Log in to do this.' }, { status: 401 }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'NOT_SIGNED_IN', message: 'Log in to do this.' });
  });

  it('falls back to plain words when the answer has no message of its own', async () => {
    expect(await apiErrorOf(new Response('<html>', { status: 502 }))).toMatchObject({
      status: 502,
      code: 'ERROR',
      message: expect.stringMatching(/on our side/),
    });
    expect((await apiErrorOf(new Response('', { status: 429 }))).message).toMatch(/Too many attempts/);
    expect((await apiErrorOf(new Response('', { status: 404 }))).message).toBe('The server answered 404.');
    expect(await apiErrorOf(Response.json({ error: 'GONE', message: '' }, { status: 410 }))).toMatchObject({
      code: 'GONE',
      message: 'The server answered 410.',
    });
  });
});

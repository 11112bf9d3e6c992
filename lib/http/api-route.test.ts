import { describe, expect, it } from 'vitest';
import { newCsrfToken } from '@/lib/auth/tokens';
import { apiRoute, cookieOf, refuseForgedMutation } from './api-route';

const token = newCsrfToken();
const sameOrigin = { host: 'academy.local:3000', origin: 'http://academy.local:3000' };

const post = (headers: Record<string, string>) =>
  new Request('http://academy.local:3000/api/auth/logout', { method: 'POST', headers });

describe('cookieOf', () => {
  it('finds a cookie among others, and nothing when it is absent', () => {
    const request = post({ cookie: `a=1; academy_csrf=${token};b=2` });
    expect(cookieOf(request, 'academy_csrf')).toBe(token);
    expect(cookieOf(request, 'b')).toBe('2');
    expect(cookieOf(request, 'academy')).toBeUndefined();
    expect(cookieOf(post({}), 'academy_csrf')).toBeUndefined();
  });
});

describe('refuseForgedMutation', () => {
  it('lets a same-origin request with a matching token through', () => {
    const request = post({ ...sameOrigin, cookie: `academy_csrf=${token}`, 'x-csrf-token': token });
    expect(refuseForgedMutation(request)).toBeNull();
  });

  it('refuses a request without the header, or with one that does not match the cookie', async () => {
    const cases: Record<string, string>[] = [
      { ...sameOrigin, cookie: `academy_csrf=${token}` },
      { ...sameOrigin, cookie: `academy_csrf=${token}`, 'x-csrf-token': newCsrfToken() },
      { ...sameOrigin, 'x-csrf-token': token },
      { ...sameOrigin, cookie: 'academy_csrf=short', 'x-csrf-token': 'short' },
      { ...sameOrigin, cookie: 'academy_csrf=', 'x-csrf-token': '' },
    ];
    for (const headers of cases) {
      const refused = refuseForgedMutation(post(headers));
      expect(refused?.status, JSON.stringify(headers)).toBe(403);
      expect(await refused?.json()).toMatchObject({ error: 'CSRF' });
    }
  });

  it('refuses another origin before looking at the token', async () => {
    const request = post({
      host: 'academy.local:3000',
      origin: 'http://evil.example',
      cookie: `academy_csrf=${token}`,
      'x-csrf-token': token,
    });
    expect(await refuseForgedMutation(request)?.json()).toMatchObject({ error: 'CROSS_SITE' });
  });
});

describe('apiRoute', () => {
  it('answers a forged mutation with 403 without running the handler', async () => {
    let isRun = false;
    const response = await apiRoute(post(sameOrigin), { mutation: true, public: true }, async () => {
      isRun = true;
      return new Response(null, { status: 204 });
    });
    expect(response.status).toBe(403);
    expect(isRun).toBe(false);
  });
});

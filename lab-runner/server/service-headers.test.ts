import { describe, expect, it } from 'vitest';
import { headersIntoSandbox, headersOutOfSandbox, inertResponseHeaders } from './service-headers';
import { servicePathOf } from './routes/services';

describe('headers into the sandbox', () => {
  it('passes what a service needs to read the request, and nothing that identifies the browser', () => {
    const passed = headersIntoSandbox({
      accept: 'application/json',
      'content-type': 'application/json',
      'content-length': '12',
      'if-none-match': '"abc"',
      range: 'bytes=0-99',
      cookie: 'academy_session=secret',
      authorization: 'Bearer secret',
      'x-academy-token': 'token',
      'user-agent': 'Mozilla/5.0',
      referer: 'https://academy.example/labs/x',
      origin: 'https://academy.example',
      'x-forwarded-for': '203.0.113.7',
      'x-real-ip': '203.0.113.7',
      forwarded: 'for=203.0.113.7',
      host: 'academy.example',
      connection: 'keep-alive',
      'x-anything-new': '1',
    });
    expect(passed).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'content-length': '12',
      'if-none-match': '"abc"',
      range: 'bytes=0-99',
    });
  });
});

describe('headers out of the sandbox', () => {
  it('keeps what the browser needs to read and cache the answer, drops what acts on the origin, and adds the inert ones', () => {
    const passed = headersOutOfSandbox({
      'content-type': 'text/html',
      'content-length': '5',
      etag: '"v1"',
      'cache-control': 'no-store',
      'set-cookie': ['session=stolen; Path=/'],
      location: '/api/auth/logout',
      refresh: '0; url=/api/auth/logout',
      'clear-site-data': '"*"',
      'content-disposition': 'attachment; filename=evil.html',
      'strict-transport-security': 'max-age=63072000; includeSubDomains',
      link: '</evil.css>; rel=stylesheet',
      'content-security-policy': "default-src *; script-src 'unsafe-inline'",
      'access-control-allow-origin': '*',
      'transfer-encoding': 'chunked',
      connection: 'close',
    });
    expect(passed).toEqual({
      'content-type': 'text/html',
      'content-length': '5',
      etag: '"v1"',
      'cache-control': 'no-store',
      ...inertResponseHeaders,
    });
  });
});

describe('the service path', () => {
  it('is what follows the port in the URL, still percent-encoded, without the query', () => {
    const id = 's_abc';
    expect(servicePathOf(`/v1/sessions/${id}/services/5000/api/2.0/runs?token=x`, '5000')).toBe(
      '/api/2.0/runs',
    );
    expect(servicePathOf(`/v1/sessions/${id}/services/5000/a%2Fb/%C3%A9`, '5000')).toBe('/a%2Fb/%C3%A9');
    expect(servicePathOf(`/v1/sessions/${id}/services/5000/`, '5000')).toBe('/');
    expect(servicePathOf(`/v1/sessions/${id}/services/5000`, '5000')).toBe('/');
  });
});

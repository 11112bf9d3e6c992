import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isSameOrigin, runnerPathFor } from './browser-proxy';

const id = '0123456789abcdef0123';

describe('runnerPathFor', () => {
  it('passes the browser endpoints of one session, query included', () => {
    expect(runnerPathFor(`/runner/v1/sessions/${id}/files?path=a.py`)).toBe(
      `/v1/sessions/${id}/files?path=a.py`,
    );
    expect(runnerPathFor(`/runner/v1/sessions/${id}/files/tree`)).toBe(`/v1/sessions/${id}/files/tree`);
    expect(runnerPathFor(`/runner/v1/sessions/${id}/files/move`)).toBe(`/v1/sessions/${id}/files/move`);
    expect(runnerPathFor(`/runner/v1/sessions/${id}/terminal?token=x`)).toBe(
      `/v1/sessions/${id}/terminal?token=x`,
    );
    expect(runnerPathFor(`/runner/v1/sessions/${id}/services/5000/api/2.0/x`)).toBe(
      `/v1/sessions/${id}/services/5000/api/2.0/x`,
    );
    // Percent-encoding that hides no dot segment or slash passes untouched.
    expect(runnerPathFor(`/runner/v1/sessions/${id}/services/5000/%C3%A9t%C3%A9/a%20b..txt`)).toBe(
      `/v1/sessions/${id}/services/5000/%C3%A9t%C3%A9/a%20b..txt`,
    );
  });

  it('refuses the server-only API and anything odd', () => {
    for (const url of [
      '/runner/v1/sessions',
      `/runner/v1/sessions/${id}`,
      `/runner/v1/sessions/${id}/exec`,
      `/runner/v1/sessions/${id}/checks`,
      `/runner/v1/sessions/${id}/stop`,
      '/runner/metrics',
      `/runner/v1/sessions/${id}/files/../exec`,
      `/runner/v1/sessions/../../etc/files`,
      `/runnerx/v1/sessions/${id}/files`,
      // Dots, slashes and backslashes a URL parser would resolve after the check.
      `/runner/v1/sessions/${id}/services/5000/%2e%2e/%2e%2e/exec`,
      `/runner/v1/sessions/${id}/services/5000/%2E%2E/%2E%2E/checks`,
      `/runner/v1/sessions/${id}/services/5000/.%2e/.%2e/stop`,
      `/runner/v1/sessions/${id}/services/5000/./x`,
      `/runner/v1/sessions/${id}/services/5000/..%2F..%2Fexec`,
      `/runner/v1/sessions/${id}/services/5000/..%5C..%5Cexec`,
      `/runner/v1/sessions/${id}/services/5000/..\\..\\exec`,
      `/runner/v1/sessions/${id}/services/5000/%E0%A4%A`,
      `/runner/v1/sessions/${id}/files%2Ftree`,
      '/v1/sessions',
      undefined,
    ]) {
      expect(runnerPathFor(url), String(url)).toBeNull();
    }
  });
});

describe('isSameOrigin', () => {
  const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
  it('accepts a page of this host, or no Origin at all, and refuses another site', () => {
    expect(isSameOrigin(request({ host: 'academy.local:3000', origin: 'http://academy.local:3000' }))).toBe(
      true,
    );
    expect(isSameOrigin(request({ host: 'academy.local:3000' }))).toBe(true);
    expect(isSameOrigin(request({ host: 'academy.local:3000', origin: 'http://evil.example' }))).toBe(false);
    expect(isSameOrigin(request({ host: 'academy.local:3000', origin: 'null' }))).toBe(false);
  });
});

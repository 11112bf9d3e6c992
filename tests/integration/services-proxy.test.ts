/** HTTP from the browser to a service inside a sandbox that has no network, through the runner. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';

let t: TestRunner;
let id: string;
const user = 'proxy-user';

const echoServer = `
import json
from http.server import BaseHTTPRequestHandler, HTTPServer

class Echo(BaseHTTPRequestHandler):
    def reply(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        payload = json.dumps({"method": self.command, "path": self.path, "body": body,
                              "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("set-cookie", "session=stolen; Path=/")
        # Headers a browser would act on for the platform's whole origin, or the tab.
        self.send_header("location", "/api/auth/logout")
        self.send_header("refresh", "0; url=/api/auth/logout")
        self.send_header("clear-site-data", '"*"')
        self.send_header("content-disposition", "attachment; filename=evil.html")
        self.send_header("strict-transport-security", "max-age=63072000; includeSubDomains")
        self.send_header("etag", '"v1"')
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
    do_GET = do_POST = do_PUT = do_DELETE = reply
    def log_message(self, *args):
        pass

HTTPServer(("127.0.0.1", 8000), Echo).serve_forever()
`;

async function waitUntilListening(port: number) {
  for (let i = 0; i < 100; i++) {
    const probe = await t.api(`/v1/sessions/${id}/exec`, {
      method: 'POST',
      json: { cmd: ['python3', '-c', `import socket; socket.create_connection(("127.0.0.1", ${port}), 1)`] },
    });
    if (((await probe.json()) as { exitCode: number }).exitCode === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on ${port} in the sandbox`);
}

async function startEchoServer() {
  await t.api(`/v1/sessions/${id}/exec`, {
    method: 'POST',
    json: { cmd: ['sh', '-c', 'nohup python3 serve.py > /tmp/serve.log 2>&1 &'] },
  });
  await waitUntilListening(8000);
}

beforeAll(async () => {
  t = await startTestRunner();
  id = await t.startSession(user);
  await t.api(`/v1/sessions/${id}/files?path=serve.py`, { method: 'PUT', json: { content: echoServer } });
  await startEchoServer();
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

type Echo = { method: string; path: string; body: string; headers: Record<string, string> };

describe('the service proxy', () => {
  it('forwards method, path, query and body, and keeps the platform’s credentials out', async () => {
    const token = t.token(id, user);
    const response = await fetch(`${t.url}/v1/sessions/${id}/services/8000/api/runs?limit=5`, {
      method: 'POST',
      headers: {
        'x-academy-token': token,
        'content-type': 'application/json',
        cookie: 'academy_session=secret',
        'user-agent': 'Mozilla/5.0 (learner browser)',
        referer: 'https://academy.example/labs/tracking',
        'x-forwarded-for': '203.0.113.7',
      },
      body: JSON.stringify({ hello: 'sandbox' }),
    });
    expect(response.status).toBe(200);
    for (const header of [
      'set-cookie',
      'location',
      'refresh',
      'clear-site-data',
      'content-disposition',
      'strict-transport-security',
    ]) {
      expect(response.headers.get(header), header).toBeNull();
    }
    expect(response.headers.get('etag')).toBe('"v1"');
    // Whatever a learner serves cannot run script on the platform's origin.
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const echo = (await response.json()) as Echo;
    expect(echo).toMatchObject({ method: 'POST', path: '/api/runs?limit=5', body: '{"hello":"sandbox"}' });
    expect(echo.headers.cookie).toBeUndefined();
    expect(echo.headers.authorization).toBeUndefined();
    expect(echo.headers['x-academy-token']).toBeUndefined();
    // Nothing says who the learner's browser is, or where it came from.
    expect(echo.headers['user-agent']).toBeUndefined();
    expect(echo.headers.referer).toBeUndefined();
    expect(echo.headers['x-forwarded-for']).toBeUndefined();
    expect(echo.headers['x-forwarded-prefix']).toBe(`/v1/sessions/${id}/services/8000`);
  });

  it('passes the service path as the browser encoded it', async () => {
    const response = await t.api(`/v1/sessions/${id}/services/8000/artifacts/a%2Fb/%C3%A9t%C3%A9.txt?x=1`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Echo).path).toBe('/artifacts/a%2Fb/%C3%A9t%C3%A9.txt?x=1');
  });

  it('answers 502 with an explanation when nothing listens on the port', async () => {
    const response = await t.api(`/v1/sessions/${id}/services/9123/`);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      error: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/Nothing answered on port 9123/),
    });
  });

  it('refuses privileged and invalid ports', async () => {
    for (const port of ['22', '80', '70000', 'abc']) {
      const response = await t.api(`/v1/sessions/${id}/services/${port}/`);
      expect(response.status).toBe(400);
    }
  });

  it('keeps working after the sandbox is stopped and resumed (the bridge is recreated)', async () => {
    await t.api(`/v1/sessions/${id}/stop`, { method: 'POST' });
    await t.api(`/v1/sessions/${id}/resume`, { method: 'POST' });
    await startEchoServer();
    const response = await t.api(`/v1/sessions/${id}/services/8000/again`);
    expect(((await response.json()) as Echo).path).toBe('/again');
  });
});

/**
 * labkit services in real sandboxes: a lab that lists `services: [tracking]` gets labkit's
 * tracking server on 127.0.0.1:5000 when its sandbox is ready, MLFLOW_TRACKING_URI in the terminal,
 * in runs and in checks, the server through the service proxy, its data across a stop and resume,
 * a fresh store after a reset, and the service back if the learner stops it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';
import { openTerminal } from '@/tests/support/terminal-client';

let t: TestRunner;
let id: string;
const user = 'tracking-user';
const tracking = () => `/v1/sessions/${id}/services/5000`;

beforeAll(async () => {
  t = await startTestRunner();
  id = await t.startSession(user, 'tracking-basics');
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

async function shell(command: string, user: 'learner' | 'grader' = 'learner') {
  const response = await t.api(`/v1/sessions/${id}/exec`, {
    method: 'POST',
    json: { cmd: ['bash', '-c', command], user },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { exitCode: number; stdout: string; stderr: string };
}

async function trackingApi(path: string, body?: unknown) {
  const response = await fetch(`${t.url}${tracking()}/api/2.0/mlflow/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-academy-token': t.token(id, user), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as never };
}

describe('a lab with services: [tracking]', () => {
  it('is ready with the tracking server answering on 127.0.0.1:5000', async () => {
    const probe = await shell('curl -sf http://127.0.0.1:5000/health && labkit services status tracking');
    expect(probe.stdout).toMatch(/^OK/);
    expect(probe.stdout).toMatch(/tracking\s+up/);
    expect(probe.exitCode).toBe(0);
  });

  it('gives the learner and the grader MLFLOW_TRACKING_URI, and the Python client on the path', async () => {
    for (const who of ['learner', 'grader'] as const) {
      const result = await shell('echo "uri=$MLFLOW_TRACKING_URI"; cd / && python3 -c "import labkit"', who);
      expect(result.stdout).toContain('uri=http://127.0.0.1:5000');
      expect(result.exitCode, result.stderr).toBe(0);
    }
  });

  it('gives the terminal MLFLOW_TRACKING_URI', async () => {
    const term = await openTerminal(`${t.url}/v1/sessions/${id}/terminal?token=${t.token(id, user)}`);
    term.type('echo "tracking at <$MLFLOW_TRACKING_URI>"\r');
    await term.waitFor(/tracking at <http:\/\/127\.0\.0\.1:5000>/);
    await term.close();
  });

  it('serves MLflow’s REST API through the service proxy, made inert for the browser', async () => {
    const created = await trackingApi('experiments/create', { name: 'through-the-proxy' });
    expect(created.status).toBe(200);
    const found = await trackingApi('experiments/get-by-name?experiment_name=through-the-proxy');
    expect(found.body).toMatchObject({ experiment: { name: 'through-the-proxy' } });
    expect(found.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    const missing = await trackingApi('runs/get?run_id=0123456789abcdef0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('grades a step whose run logs to the server and whose check queries it', async () => {
    const grade = async () => {
      const response = await t.api(`/v1/sessions/${id}/checks`, {
        method: 'POST',
        json: { stepId: 'log-a-run' },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { status: string; message: string };
    };
    expect(await grade()).toMatchObject({ status: 'fail', message: expect.stringMatching(/No run tagged/) });
    const put = await t.api(`/v1/sessions/${id}/files?path=log_run.py`, {
      method: 'PUT',
      json: {
        content: [
          'import json, os, time, urllib.request',
          'uri = os.environ["MLFLOW_TRACKING_URI"]',
          'body = {"experiment_id": "0", "start_time": int(time.time() * 1000), "tags": [{"key": "fixture", "value": "yes"}]}',
          'request = urllib.request.Request(uri + "/api/2.0/mlflow/runs/create", data=json.dumps(body).encode())',
          'print(json.load(urllib.request.urlopen(request))["run"]["info"]["run_id"])',
        ].join('\n'),
      },
    });
    expect(put.status).toBe(200);
    expect(await grade()).toMatchObject({ status: 'pass' });
  });

  it('brings the service back when the learner stops it (before a check, or on request)', async () => {
    await shell('pkill -f "labkit.mjs serve tracking"; sleep 0.3');
    expect((await shell('curl -sf http://127.0.0.1:5000/health')).exitCode).not.toBe(0);
    const response = await t.api(`/v1/sessions/${id}/checks`, {
      method: 'POST',
      json: { stepId: 'log-a-run' },
    });
    expect(((await response.json()) as { status: string }).status).toBe('pass');
    expect((await shell('curl -sf http://127.0.0.1:5000/health')).stdout).toBe('OK');
  });

  it('keeps the tracking data across a stop and a resume', async () => {
    await t.api(`/v1/sessions/${id}/stop`, { method: 'POST' });
    const resumed = await t.api(`/v1/sessions/${id}/resume`, { method: 'POST' });
    expect(resumed.status).toBe(200);
    const found = await trackingApi('experiments/get-by-name?experiment_name=through-the-proxy');
    expect(found.status).toBe(200);
  });

  it('starts from an empty store after a reset', async () => {
    const reset = await t.api(`/v1/sessions/${id}/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const found = await trackingApi('experiments/get-by-name?experiment_name=through-the-proxy');
    expect(found.status).toBe(404);
    expect((await shell('curl -sf http://127.0.0.1:5000/health')).stdout).toBe('OK');
  });
});

describe('the warm pool and labkit services', () => {
  let warm: TestRunner;

  beforeAll(async () => {
    warm = await startTestRunner({ POOL_SIZE: '1' });
    await warm.runner.sessions.waitForPool(120_000);
  }, 600_000);

  afterAll(async () => {
    await warm?.stop();
  }, 120_000);

  async function warmShell(sessionId: string, command: string) {
    const response = await warm.api(`/v1/sessions/${sessionId}/exec`, {
      method: 'POST',
      json: { cmd: ['bash', '-c', command] },
    });
    return (await response.json()) as { exitCode: number; stdout: string };
  }

  it('starts the services ahead, so a lab with tracking is ready with it answering', async () => {
    const response = await warm.api('/v1/sessions', {
      method: 'POST',
      json: { userId: 'warm-tracking', labId: 'tracking-basics' },
    });
    const session = (await response.json()) as { id: string; startKind: string };
    expect(session.startKind).toBe('warm');
    expect((await warmShell(session.id, 'curl -sf http://127.0.0.1:5000/health')).stdout).toBe('OK');
    await warm.api(`/v1/sessions/${session.id}`, { method: 'DELETE' });
  });

  it('stops them for a lab without services, leaving no trace in the home', async () => {
    await warm.runner.sessions.waitForPool(120_000);
    const response = await warm.api('/v1/sessions', {
      method: 'POST',
      json: { userId: 'warm-plain', labId: 'sandbox-basics' },
    });
    const session = (await response.json()) as { id: string; startKind: string };
    expect(session.startKind).toBe('warm');
    // Stopped in the background, right after the hand-out.
    const command =
      'pgrep -f "[l]abkit.mjs serve" || echo none; test -e ~/.labkit && echo home-has-labkit || echo clean';
    let probe = await warmShell(session.id, command);
    for (let i = 0; i < 100 && probe.stdout !== 'none\nclean\n'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      probe = await warmShell(session.id, command);
    }
    expect(probe.stdout).toBe('none\nclean\n');
  });
});

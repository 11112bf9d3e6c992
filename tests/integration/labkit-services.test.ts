/**
 * labkit services in real sandboxes: a lab that lists `services: [tracking]` gets labkit's
 * tracking server on 127.0.0.1:5000 when its sandbox is ready, MLFLOW_TRACKING_URI in the terminal,
 * in runs and in checks, the server through the service proxy, its data across a stop and resume,
 * a fresh store after a reset, and the service back if it stops. The server runs as the labkit
 * user: the learner can neither stop it, start or stop services, touch its data, nor answer in its
 * place (a program of theirs on its port is killed before the service is trusted again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionManager } from '@/lab-runner/sessions/manager';
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

/** Runs a command as the labkit user, which the runner's API does not offer (the runner itself does). */
async function asLabkit(sessions: SessionManager, sessionId: string, command: string) {
  return sessions.exec(sessionId, {
    cmd: ['sh', '-c', command],
    user: 'labkit',
    workingDir: '/',
    env: { HOME: '/var/lib/labkit', LABKIT_HOME: '/var/lib/labkit' },
    timeoutMs: 30_000,
    outputLimitBytes: 64 * 1024,
  });
}

/** The uid of the process serving tracking (empty when none). */
const trackingUid = 'ps -o uid= -p "$(pgrep -f "[l]abkit.mjs serve tracking")" | tr -d " "';

/**
 * A learner's stand-in for the tracking server: answers /health and every MLflow call with a forged
 * experiment. Started detached, so it outlives the exec that starts it.
 */
const forgedServer = [
  "cat >/tmp/forged_tracking.py <<'EOF'",
  'import http.server, json',
  'class Forged(http.server.BaseHTTPRequestHandler):',
  '    def do_GET(self):',
  '        forged = {"experiment": {"experiment_id": "666", "name": "forged", "lifecycle_stage": "active"}}',
  '        body = b"OK" if self.path == "/health" else json.dumps(forged).encode()',
  '        self.send_response(200)',
  '        self.send_header("content-length", str(len(body)))',
  '        self.end_headers()',
  '        self.wfile.write(body)',
  '    do_POST = do_GET',
  '    def log_message(self, *args):',
  '        pass',
  'http.server.HTTPServer(("0.0.0.0", 5000), Forged).serve_forever()',
  'EOF',
  'setsid -f python3 /tmp/forged_tracking.py </dev/null >/dev/null 2>&1',
  'for i in $(seq 200); do curl -sf -m 1 http://127.0.0.1:5000/api/2.0/mlflow/experiments/get?experiment_id=1 | grep -q forged && exit 0; sleep 0.05; done',
  'exit 1',
].join('\n');

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
  it('is ready with the tracking server answering on 127.0.0.1:5000, run by the labkit user', async () => {
    const probe = await shell('curl -sf http://127.0.0.1:5000/health && labkit services status tracking');
    expect(probe.stdout).toMatch(/^OK/);
    expect(probe.stdout).toMatch(/tracking\s+up/);
    expect(probe.exitCode).toBe(0);
    expect((await shell(trackingUid)).stdout.trim()).toBe('1003');
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

  it('cannot be stopped by the learner: kill and pkill fail, and it keeps answering', async () => {
    const kill = await shell('kill -TERM "$(pgrep -f "[l]abkit.mjs serve tracking")"');
    expect(kill.exitCode).not.toBe(0);
    expect(kill.stderr).toMatch(/Operation not permitted/);
    expect((await shell('pkill -KILL -f "[l]abkit.mjs serve tracking"')).exitCode).not.toBe(0);
    expect((await shell('curl -sf http://127.0.0.1:5000/health')).stdout).toBe('OK');
    expect((await shell(trackingUid)).stdout.trim()).toBe('1003');
  });

  it('keeps its data where the learner can neither read, write, rename nor replace it', async () => {
    const attempts = [
      'ls /var/lib/labkit',
      'cat /var/lib/labkit/tracking/tracking.jsonl',
      'touch /var/lib/labkit/planted',
      'mkdir /var/lib/labkit/tracking2',
      'mv /var/lib/labkit /var/lib/labkit-moved',
      'rm -rf /var/lib/labkit/tracking',
      'mkdir /var/lib/labkit-new',
    ];
    for (const attempt of attempts) {
      expect((await shell(attempt)).exitCode, attempt).not.toBe(0);
    }
    expect((await shell('test -e ~/.labkit')).exitCode).not.toBe(0);
    const owned = await asLabkit(
      t.runner.sessions,
      id,
      'stat -c "%u %a" /var/lib/labkit && ls /var/lib/labkit && grep -c through-the-proxy /var/lib/labkit/tracking/tracking.jsonl',
    );
    expect(owned.stdout).toBe('1003 700\ntracking\ntracking.log\n1\n');
    // The same size-capped filesystem as the learner's home: it counts against the sandbox's disk.
    const dataDevice = await asLabkit(t.runner.sessions, id, 'stat -c %d /var/lib/labkit');
    expect(dataDevice.stdout).toBe((await shell('stat -c %d /home/learner')).stdout);
  });

  it('keeps its port: a learner program cannot listen on it while the service runs', async () => {
    for (const host of ['127.0.0.1', '0.0.0.0', '::']) {
      const family = host === '::' ? 'AF_INET6' : 'AF_INET';
      const bind = await shell(
        `python3 -c 'import socket; s = socket.socket(socket.${family}); s.bind(("${host}", 5000)); s.listen()'`,
      );
      expect(bind.stderr, host).toMatch(/Address already in use/);
    }
  });

  it('refuses `labkit services up` and `down` to the learner, saying the platform runs them', async () => {
    for (const action of ['up', 'down']) {
      const refused = await shell(`labkit services ${action} tracking`);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toMatch(
        /^The platform runs this sandbox's labkit services \(as the labkit user\)/,
      );
    }
    expect((await shell('curl -sf http://127.0.0.1:5000/health')).stdout).toBe('OK');
  });

  it('brings the service back when it stopped, before a check', async () => {
    const down = await asLabkit(t.runner.sessions, id, 'labkit services down tracking');
    expect(down).toMatchObject({ exitCode: 0, stdout: 'tracking: stopped\n' });
    expect((await shell('curl -sf http://127.0.0.1:5000/health')).exitCode).not.toBe(0);
    const response = await t.api(`/v1/sessions/${id}/checks`, {
      method: 'POST',
      json: { stepId: 'log-a-run' },
    });
    expect(((await response.json()) as { status: string }).status).toBe('pass');
    expect((await shell('curl -sf http://127.0.0.1:5000/health')).stdout).toBe('OK');
    expect((await shell(trackingUid)).stdout.trim()).toBe('1003');
  });

  it('kills a learner program that took the port while the service was down, and serves the real data again', async () => {
    expect((await asLabkit(t.runner.sessions, id, 'labkit services down tracking')).exitCode).toBe(0);
    const forged = await shell(forgedServer);
    expect(forged.exitCode, forged.stderr).toBe(0);
    const fooled = await trackingApi('experiments/get-by-name?experiment_name=through-the-proxy');
    expect(fooled.body).toMatchObject({ experiment: { name: 'forged' } });

    await t.runner.sessions.ensureServices(id);

    expect((await shell('pgrep -f "[f]orged_tracking.py" || echo gone')).stdout).toBe('gone\n');
    expect((await shell(trackingUid)).stdout.trim()).toBe('1003');
    const real = await trackingApi('experiments/get-by-name?experiment_name=through-the-proxy');
    expect(real).toMatchObject({ status: 200, body: { experiment: { name: 'through-the-proxy' } } });
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
    const journal = await asLabkit(
      t.runner.sessions,
      id,
      'grep -c through-the-proxy /var/lib/labkit/tracking/tracking.jsonl',
    );
    expect(journal.stdout).toBe('0\n');
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
    expect((await warmShell(session.id, trackingUid)).stdout.trim()).toBe('1003');
    await warm.api(`/v1/sessions/${session.id}`, { method: 'DELETE' });
  });

  it('stops them for a lab without services, leaving no data behind', async () => {
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
    const data = await asLabkit(warm.runner.sessions, session.id, 'find /var/lib/labkit -mindepth 1');
    expect(data).toMatchObject({ exitCode: 0, stdout: '' });
  });
});

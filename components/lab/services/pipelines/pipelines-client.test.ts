import { describe, expect, it } from 'vitest';
import type { PipelineView } from '@/labkit/pipelines/wire';
import type { SessionAccess } from '../../session-access';
import { PipelinesClient, pipelinesErrorFromReply } from './pipelines-client';

type Reply = { status: number; body?: unknown; raw?: string; statusText?: string; type?: string };

/** A pipelines service behind a fake fetch: it records each URL and answers the next reply. */
function fakeService(...replies: Reply[]) {
  const calls: { url: string; token: string | null }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), token: new Headers(init?.headers).get('X-Academy-Token') });
    const reply = replies.shift();
    if (!reply) throw new TypeError('fetch failed');
    const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    return new Response(text, {
      status: reply.status,
      statusText: reply.statusText,
      headers: { 'content-type': reply.type ?? 'application/json' },
    });
  };
  const access: SessionAccess = {
    sessionId: '0123456789abcdef0123',
    runnerBase: '/runner',
    token: async () => 'cached-token',
    freshToken: async () => 'fresh-token',
  };
  return { calls, client: new PipelinesClient(access, fetchImpl) };
}

const base = '/runner/v1/sessions/0123456789abcdef0123/services/5100/api/v1';

const emptyView: PipelineView = {
  project: '.',
  projects: ['.'],
  problem: null,
  repro: { running: false },
  stages: [],
  data: [],
  edges: [],
};

describe('PipelinesClient', () => {
  it('asks the service through the runner proxy with the session token, and reads the reply', async () => {
    const { calls, client } = fakeService({ status: 200, body: emptyView }, { status: 200, body: emptyView });
    expect(await client.pipeline()).toEqual(emptyView);
    await client.pipeline('labs/a b');
    expect(calls).toEqual([
      { url: `${base}/pipeline`, token: 'cached-token' },
      { url: `${base}/pipeline?project=labs%2Fa+b`, token: 'cached-token' },
    ]);
  });

  it('asks for a stage’s log from an offset', async () => {
    const chunk = {
      stage: 'train@1',
      offset: 0,
      nextOffset: 3,
      size: 3,
      text: 'hi\n',
      restarted: false,
      truncated: false,
    };
    const { calls, client } = fakeService({ status: 200, body: chunk });
    expect(await client.log('train@1', -1)).toEqual(chunk);
    expect(calls[0]?.url).toBe(`${base}/log?stage=train%401&offset=-1`);
  });

  it('fetches an image plot as a blob', async () => {
    const { calls, client } = fakeService({ status: 200, raw: 'PNG', type: 'image/png' });
    const blob = await client.plotImage('plots/confusion.png');
    expect(blob.type).toBe('image/png');
    expect(await blob.text()).toBe('PNG');
    expect(calls[0]?.url).toBe(`${base}/plot-image?path=plots%2Fconfusion.png`);
  });

  it('turns the service’s error bodies into errors with its sentence', async () => {
    const { client } = fakeService({
      status: 409,
      body: { error: 'PIPELINE_INVALID', message: 'dvc.yaml, line 3: not valid YAML.' },
    });
    await expect(client.diff()).rejects.toMatchObject({
      code: 'PIPELINE_INVALID',
      message: 'dvc.yaml, line 3: not valid YAML.',
      status: 409,
      isUnavailable: false,
    });
  });

  it('says the service is not answering when the proxy cannot reach it, or nothing answers', async () => {
    const { client } = fakeService({ status: 502, raw: 'Bad Gateway', statusText: 'Bad Gateway' });
    await expect(client.plots()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', isUnavailable: true });
    await expect(client.plots()).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      status: 0,
      isUnavailable: true,
    });
  });

  it('refuses a reply of the wrong shape, naming the field', async () => {
    const { client } = fakeService({ status: 200, body: { ...emptyView, stages: [{ id: 'x' }] } });
    await expect(client.pipeline()).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringMatching(/cannot read \(stages\.0\.name: /),
    });
  });

  it('describes a reply with no usable body by its status', () => {
    expect(pipelinesErrorFromReply(500, 'Internal Server Error', 'oops')).toMatchObject({
      code: 'BAD_RESPONSE',
      message: 'The pipelines service answered 500 Internal Server Error.',
    });
  });
});

/**
 * Chapter page response time from the production server, against a bare node:http server that
 * answers with the same bytes from memory (the floor for any Node HTTP response of that size).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadChapters } from '@/lib/content/chapters';
import { startProductionServer } from './server';
import { summarize, type BenchResult } from './stats';

const warmupRequests = 20;
const measuredRequests = 300;

async function timeRequests(url: string, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    samples.push(performance.now() - started);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  }
  return samples;
}

export async function benchChapterPage(): Promise<BenchResult> {
  const [chapter] = loadChapters();
  if (!chapter) throw new Error('no chapters to measure');
  const server = await startProductionServer();
  let body: Buffer;
  let samples: number[];
  try {
    const pageUrl = `${server.url}/learn/${chapter.slug}`;
    body = Buffer.from(await (await fetch(pageUrl)).arrayBuffer());
    await timeRequests(pageUrl, warmupRequests);
    samples = await timeRequests(pageUrl, measuredRequests);
  } finally {
    await server.stop();
  }

  const baselineServer = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => baselineServer.listen(0, '127.0.0.1', resolve));
  try {
    const baselineUrl = `http://127.0.0.1:${(baselineServer.address() as AddressInfo).port}/`;
    await timeRequests(baselineUrl, warmupRequests);
    const baselineSamples = await timeRequests(baselineUrl, measuredRequests);
    return summarize('chapter page response (production server)', 'ms', samples, baselineSamples);
  } finally {
    baselineServer.close();
  }
}

/**
 * `npm run bench [-- --json]`: runs every benchmark and prints medians, p95s and ratios against
 * baselines measured in the same run. With --json, stdout carries one JSON object and nothing else.
 */
import { benchChapterPage } from './chapter-page';
import { benchLabkitPipelines } from './labkit-pipelines';
import { benchLabkitTracking } from './labkit-tracking';
import { benchLabWorkspace } from './lab-workspace';
import { benchRunner } from './runner';
import type { BenchResult } from './stats';

const benchmarks: { name: string; run: () => Promise<BenchResult | BenchResult[]> }[] = [
  { name: 'chapter page', run: benchChapterPage },
  { name: 'lab runner', run: benchRunner },
  { name: 'lab workspace in Chromium', run: benchLabWorkspace },
  { name: 'labkit tracking server', run: benchLabkitTracking },
  { name: 'labkit data and pipelines', run: benchLabkitPipelines },
];

const isJson = process.argv.includes('--json');
// With --json, stdout carries the JSON object alone: progress from anything else goes to stderr.
if (isJson) console.log = console.error;
const results: BenchResult[] = [];

for (const benchmark of benchmarks) {
  console.error(`▸ ${benchmark.name}…`);
  results.push(...[await benchmark.run()].flat());
}

if (isJson) {
  process.stdout.write(`${JSON.stringify({ results })}\n`);
} else {
  for (const r of results) {
    const baseline =
      r.baseline === undefined ? '' : `   baseline p50 ${r.baseline} ${r.unit}, ratio ${r.ratio}×`;
    console.log(`${r.name}: p50 ${r.p50} ${r.unit}, p95 ${r.p95} ${r.unit}, n=${r.n}${baseline}`);
  }
}

/** One line of `npm run bench -- --json`. */
export type BenchResult = {
  name: string;
  unit: string;
  p50: number;
  p95: number;
  n: number;
  /** p50 of a baseline measured in the same run, when there is one. */
  baseline?: number;
  /** p50 / baseline. */
  ratio?: number;
  /** Operations that failed (concurrency benchmarks). */
  errors?: number;
};

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export function summarize(
  name: string,
  unit: string,
  samples: number[],
  baselineSamples?: number[],
): BenchResult {
  const result: BenchResult = {
    name,
    unit,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    n: samples.length,
  };
  if (baselineSamples?.length) {
    const baseline = percentile(baselineSamples, 50);
    result.baseline = round(baseline);
    result.ratio = round(percentile(samples, 50) / baseline);
  }
  return result;
}

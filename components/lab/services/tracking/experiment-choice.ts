/** Which experiment the Experiments tab shows before the learner picks one. */
import type { Experiment } from './tracking-client';

/**
 * The experiment of the newest run (where the learner is logging now), else the newest
 * experiment, else none (the service lists Default "0" as soon as it runs).
 */
export function defaultExperimentId(
  experiments: readonly Experiment[],
  newestRunExperimentId: string | null,
): string | null {
  if (newestRunExperimentId && experiments.some((e) => e.id === newestRunExperimentId)) {
    return newestRunExperimentId;
  }
  const newest = [...experiments].sort((a, b) => (b.creationTime ?? 0) - (a.creationTime ?? 0))[0];
  return newest?.id ?? null;
}

/** Which experiment the Experiments tab shows before the learner picks one, and how it is offered. */
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

/**
 * The picker's options: each experiment by its name, which the tracking server keeps unique. Its
 * id is left out: "late-orders (1)" reads as one run, and the picker shows no run counts.
 */
export function experimentOptions(experiments: readonly Experiment[]): { value: string; label: string }[] {
  return experiments.map((experiment) => ({ value: experiment.id, label: experiment.name }));
}

/**
 * What the Pipelines tab offers the learner to run in their terminal, and what a stage's run is
 * tagged with in the tracking service. The tab never runs anything itself: the learner is the only
 * one who writes their files, so its Run commands are copied, to be pasted into their own terminal.
 */

/** The workspace as the learner's prompt shows it (`learner@lab:~/work$`). */
export const workspaceShellPath = '~/work';

export type ReproTarget =
  /** Every stage that changed, and what they need. */
  | { kind: 'pipeline' }
  /** The stage and the changed stages it needs (`repro STAGE`). */
  | { kind: 'upTo'; stage: string }
  /** The stage alone, whatever its upstream (`repro -s STAGE`). */
  | { kind: 'only'; stage: string };

/** A word for a POSIX shell: bare when it has only safe characters, else single-quoted. */
export function shellWord(word: string): string {
  if (/^[\w.@:/+=-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The `labkit pipeline repro` command line for a target. */
export function reproCommand(target: ReproTarget): string {
  if (target.kind === 'pipeline') return 'labkit pipeline repro';
  const flag = target.kind === 'only' ? '-s ' : '';
  return `labkit pipeline repro ${flag}${shellWord(target.stage)}`;
}

/** The folder, as the prompt would show it, where a project's commands run. */
export function projectShellPath(project: string): string {
  return project === '.' ? workspaceShellPath : `${workspaceShellPath}/${project}`;
}

/**
 * The tags a run logged by a stage's command gets from labkit's Python client, from the
 * environment `repro` gives each command.
 */
export const pipelineRunTags = {
  stage: 'labkit.pipeline.stage',
  lockHash: 'labkit.pipeline.lock_hash',
} as const;

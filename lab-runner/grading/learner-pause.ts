/**
 * Pausing the learner's processes for a grading (sandbox-scripts/learner_pause.py, run as the
 * learner): `freeze` before the runs stops them all and returns what existed; `settle` before a
 * grader process kills what the runs left and stops again what they continued; `thaw` at the end
 * continues what was frozen, except what the learner had stopped themselves. In between, nothing
 * the learner started runs while the grader does, so nothing can race it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ExecRequest, ExecResult } from '../drivers/driver';
import { scriptsDir } from './sandbox-scripts';

const learnerPauseScript = fs.readFileSync(path.join(scriptsDir, 'learner_pause.py'), 'utf8');

/** The script gives up after 3 s of processes that will not stop; this leaves room to start it. */
const pauseTimeoutMs = 10_000;
/** A snapshot names at most a sandbox's pids limit (4096) of processes, a few bytes each. */
const pauseOutputBytes = 1024 * 1024;

/** A process, by pid and start time (clock ticks after boot), so a reused pid is not mistaken for it. */
const processKey = z.tuple([z.number().int(), z.number().int()]);
type ProcessKey = z.infer<typeof processKey>;

const replySchema = z.object({
  ok: z.boolean(),
  nowMs: z.number(),
  snapshot: z.array(processKey).optional(),
  selfStopped: z.array(processKey).optional(),
  spared: z.array(processKey).optional(),
  problem: z.string().nullable().optional(),
});

export type LearnerPause = {
  snapshot: ProcessKey[];
  selfStopped: ProcessKey[];
  /** Learner processes serving the lab's labkit services, which keep running (learner_pause.py). */
  spared: ProcessKey[];
  /** The sandbox's clock minus the runner's (a remote engine's clock may differ). */
  clockOffsetMs: number;
};

export type Exec = (request: ExecRequest) => Promise<ExecResult>;

async function call(exec: Exec, request: Record<string, unknown>) {
  const result = await exec({
    cmd: ['/usr/bin/python3', '-I', '-S', '-c', learnerPauseScript],
    user: 'learner',
    workingDir: '/',
    timeoutMs: pauseTimeoutMs,
    stdin: Buffer.from(JSON.stringify(request)),
    outputLimitBytes: pauseOutputBytes,
  });
  const finishedAt = Date.now();
  let reply: unknown;
  try {
    reply = JSON.parse(result.stdout);
  } catch {
    reply = undefined;
  }
  const parsed = replySchema.safeParse(reply);
  if (!parsed.success) {
    const why = result.timedOut ? 'timed out' : `exited with ${result.exitCode}`;
    return { problem: `learner_pause ${String(request.action)} ${why}: ${result.stderr.trim().slice(-500)}` };
  }
  return { reply: parsed.data, finishedAt };
}

/**
 * Stops every learner process. `pause` is what thaw needs (missing when the script's answer was
 * lost: thaw then continues every stopped learner process); `problem` when they did not all stop.
 */
export async function freezeLearner(
  exec: Exec,
  sparePorts: number[],
): Promise<{ pause?: LearnerPause; problem?: string }> {
  const outcome = await call(exec, { action: 'freeze', sparePorts });
  if (!outcome.reply) return { problem: outcome.problem };
  const { reply, finishedAt } = outcome;
  const spared = reply.spared ?? [];
  const pause: LearnerPause = {
    snapshot: reply.snapshot ?? [],
    selfStopped: reply.selfStopped ?? [],
    spared,
    // The script read its clock just before answering: the runner's clock now is a little later.
    clockOffsetMs: reply.nowMs - finishedAt,
  };
  // One process per service at most (a forged answer could not spare more).
  if (spared.length > sparePorts.length) {
    return { pause, problem: `the freeze spared ${spared.length} processes for ${sparePorts.length} ports` };
  }
  return { pause, problem: reply.ok ? undefined : (reply.problem ?? 'the freeze did not settle') };
}

/** Kills what the runs left and stops again what they continued; a problem when that fails. */
export async function settleLearner(exec: Exec, pause: LearnerPause): Promise<string | undefined> {
  const outcome = await call(exec, { action: 'settle', ...pause });
  if (!outcome.reply) return outcome.problem;
  return outcome.reply.ok ? undefined : (outcome.reply.problem ?? 'the learner did not settle');
}

/** Continues what the freeze stopped (all stopped learner processes without a pause). */
export async function thawLearner(exec: Exec, pause: LearnerPause | undefined): Promise<void> {
  const outcome = await call(exec, { action: 'thaw', ...(pause ?? { snapshot: null }) });
  if (!outcome.reply) throw new Error(outcome.problem);
}

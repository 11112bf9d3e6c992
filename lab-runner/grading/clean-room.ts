/**
 * The grader's clean room (sandbox-scripts/clean_room.py): every grader process of a grading, its
 * grader runs and its check, starts from nothing of the learner's. The exec clears the
 * environment (`env -i`) and starts Python isolated (`-I -S`: no user site, no PYTHON* variables,
 * no working folder on sys.path); everything else travels on stdin (argv is readable by every user
 * in /proc): the check's files, its environment and the grading's secret seed. The room is a
 * folder with a random name under /tmp, 0700 and the grader's, made by the first grader process
 * of the grading and removed by the check (or by removeRoomRequest when the check could not).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExecRequest, ExecResult } from '../drivers/driver';
import { scriptsDir } from './sandbox-scripts';

const cleanRoomScript = fs.readFileSync(path.join(scriptsDir, 'clean_room.py'), 'utf8');

/** Only root-owned folders of the read-only image: nothing on the grader's PATH is the learner's. */
export const graderPath = '/opt/labkit/bin:/usr/local/bin:/usr/bin:/bin';
const graderLocale = 'C.UTF-8';
const learnerUid = 1000;
/** clean_room.py's status and stderr marker when it refused to start the program. */
const refusedStatus = 97;
const refusedMarker = 'academy-clean-room:';
/** 128 bits: a name a learner can neither guess nor make first. */
const randomNameBytes = 16;
const probeSeedBytes = 32;
const removeTimeoutMs = 10_000;

/** The per-grading paths and secret; the learner sees the challenge path only. */
export type GraderRoom = {
  /** The grader's private folder: its files, state, home and tmp. */
  room: string;
  /** ACADEMY_CHALLENGE: fresh inputs grader runs make for learner runs (0755, files 0644). */
  challenge: string;
  /** ACADEMY_PROBE_SEED: what probe names and random seeds derive from (academy_check.py). */
  probeSeed: string;
};

export function newGraderRoom(): GraderRoom {
  const name = () => crypto.randomBytes(randomNameBytes).toString('hex');
  return {
    room: `/tmp/academy-grader-${name()}`,
    challenge: `/tmp/academy-challenge-${name()}`,
    probeSeed: crypto.randomBytes(probeSeedBytes).toString('hex'),
  };
}

export type GraderProgram = {
  /** Every file of checks/ plus the helpers and runs.json, by path relative to the room's files. */
  files: Record<string, string>;
  /** The check or grader run among `files`. */
  program: string;
  /** The lab's services' variables and ACADEMY_WORKSPACE; PATH, LANG and the room's are added. */
  env: Record<string, string>;
  /** Learner processes that may run meanwhile: the services', while they run as the learner. */
  spared: number[];
  /** The check: the room and the challenge are removed once it ends. */
  last: boolean;
  timeoutMs: number;
  outputLimitBytes: number;
  keep?: ExecRequest['keep'];
};

export function cleanRoomRequest(room: GraderRoom, program: GraderProgram): ExecRequest {
  const request = {
    room: room.room,
    files: program.files,
    program: program.program,
    env: {
      ...program.env,
      PATH: graderPath,
      LANG: graderLocale,
      ACADEMY_CHALLENGE: room.challenge,
      ACADEMY_PROBE_SEED: room.probeSeed,
    },
    learnerUid,
    spared: program.spared,
    last: program.last,
  };
  return {
    cmd: [
      '/usr/bin/env',
      '-i',
      `PATH=${graderPath}`,
      `LANG=${graderLocale}`,
      '/usr/bin/python3',
      '-I',
      '-S',
      '-c',
      cleanRoomScript,
    ],
    user: 'grader',
    workingDir: '/',
    timeoutMs: program.timeoutMs,
    stdin: Buffer.from(JSON.stringify(request)),
    outputLimitBytes: program.outputLimitBytes,
    keep: program.keep,
  };
}

/** Why the clean room refused to start the program, if it did. */
export function refusalOf(exec: ExecResult): string | undefined {
  if (exec.exitCode !== refusedStatus) return undefined;
  const line = exec.stderr.split('\n').find((text) => text.startsWith(refusedMarker));
  return line?.slice(refusedMarker.length).trim();
}

/** Whether the room may still exist after the check's exec (clean_room.py removes it unless killed). */
export function roomMayRemain(exec: ExecResult): boolean {
  return exec.timedOut || exec.exitCode < 0 || exec.exitCode === 128 + 9;
}

/** Removes the room and the challenge when the check could not (it was killed, or never ran). */
export function removeRoomRequest(room: GraderRoom): ExecRequest {
  return {
    cmd: ['/usr/bin/env', '-i', '/bin/rm', '-rf', '--', room.room, room.challenge],
    user: 'grader',
    workingDir: '/',
    timeoutMs: removeTimeoutMs,
    outputLimitBytes: 4 * 1024,
  };
}

/**
 * `npm run labs:verify [lab-id…] [--json file]`: the lab self-test (lab-runner/grading/verify-lab.ts)
 * against real Docker and the sandbox image, one line per verdict: each step in each phase, and each
 * of the lab's cheats. Exits 1 on any problem, an invalid lab or cheat included.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseRunnerConfig } from '@/lab-runner/config';
import { ensureDockerEngine } from '@/lab-runner/drivers/docker-daemon';
import { verifyLab, type StepVerdict } from '@/lab-runner/grading/verify-lab';
import { phaseWidthOf, verdictLines } from '@/lab-runner/grading/verdicts';
import { ensureSandboxImage } from '@/lab-runner/image/build';
import { createRunner } from '@/lab-runner/server/runner';
import { projectRoot } from '@/lib/config';
import { validateLabs } from '@/lab-runner/api/lab-loader';
import { loadCheats, type Cheat } from '@/lab-runner/api/cheat-loader';
import { ContentError } from '@/lab-runner/api/content-error';

// (Picking the ids out by hand once dropped the first lab id when --json was not given.)
const { values, positionals: only } = parseArgs({
  allowPositionals: true,
  options: { json: { type: 'string' } },
});
const jsonFile = values.json;

const labsDir = path.join(projectRoot, 'labs');
const validated = validateLabs({
  labsDir,
  chaptersDir: path.join(projectRoot, 'content', 'chapters'),
  root: projectRoot,
});
const problems = [...validated.problems];
// A lab whose cheats are invalid is a problem, like an invalid lab.yaml, and is not run.
const cheatsOf = new Map<string, Cheat[]>();
for (const lab of validated.labs) {
  try {
    cheatsOf.set(lab.id, loadCheats(lab, { root: projectRoot }));
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    problems.push(error);
  }
}
const labs = validated.labs.filter((lab) => cheatsOf.has(lab.id));
const selected = only.length ? labs.filter((lab) => only.includes(lab.id)) : labs;
// With lab ids given, only their problems count.
const relevantProblems = only.length
  ? problems.filter((problem) => only.some((id) => problem.file.startsWith(`labs/${id}/`)))
  : problems;
for (const problem of relevantProblems) console.error(`✗ ${problem.message}`);
const unknown = only.filter(
  (id) =>
    !labs.some((lab) => lab.id === id) && !relevantProblems.some((p) => p.file.startsWith(`labs/${id}/`)),
);
for (const id of unknown) console.error(`✗ there is no lab "${id}"`);

const log = (message: string) => console.error(`▸ ${message}`);
const { docker } = await ensureDockerEngine({ log });
const { ref } = await ensureSandboxImage(docker, { log });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-academy-labs-verify-'));
const runner = await createRunner(
  parseRunnerConfig({
    RUNNER_SECRET: 'labs-verify-secret-0123456789',
    RUNNER_DATA_DIR: dataDir,
    LABS_DIR: labsDir,
    POOL_SIZE: '0',
  }),
  docker,
  ref,
);

const width = Math.max(...selected.flatMap((lab) => lab.steps.map((s) => s.id.length)), 8);
const phaseWidth = phaseWidthOf(selected.flatMap((lab) => cheatsOf.get(lab.id)!.map((cheat) => cheat.name)));
const all: StepVerdict[] = [];
const failures: string[] = [];
const print = (verdict: StepVerdict) => {
  for (const line of verdictLines(verdict, width, phaseWidth)) console.log(line);
};

try {
  for (const lab of selected) {
    try {
      all.push(
        ...(await verifyLab(
          { sessions: runner.sessions, labs: runner.labs },
          lab,
          cheatsOf.get(lab.id)!,
          print,
        )),
      );
    } catch (error) {
      failures.push(`${lab.id}: ${(error as Error).message}`);
      console.log(`✗ ${lab.id}: could not be verified: ${(error as Error).message}`);
    }
  }
} finally {
  await runner.close();
  await runner.sessions.reapAll();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const passed = all.filter((v) => v.ok).length;
const failed = all.length - passed + failures.length + relevantProblems.length + unknown.length;
console.log(`labs:verify: ${selected.length} labs, ${passed} checks as expected, ${failed} problems`);
if (jsonFile) fs.writeFileSync(jsonFile, JSON.stringify({ passed, failed, verdicts: all }, null, 2));
process.exit(failed ? 1 : 0);

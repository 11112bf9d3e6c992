/**
 * The cheat format: `labs/<id>/cheats/<step-id>/<cheat-name>/cheat.yaml`, validated strictly. A
 * cheat is a fake solution the step's check must fail; the lab self-test plants it over the
 * reference state before the step and expects `fail` on the detail named by `failsOn`. Its files
 * and folder names are checked by cheat-loader.ts.
 */
import { z } from 'zod';

const kebabCase = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const cheatNameSchema = z.string().max(64).regex(kebabCase, 'must be a kebab-case cheat name');

/** How a cheat tries to fool the check; for authors and reports, not used by the self-test. */
export const cheatKinds = ['hard-coded-output', 'fake-work', 'skipped-action', 'tampering', 'other'] as const;

/** A check detail's name as the grader keeps it (check-result.ts trims it and cuts it at 200). */
const detailNameSchema = z.string().trim().min(1, 'must name the check detail that must fail').max(200);

export const cheatSchema = z.strictObject({
  /** What the cheat fakes, one sentence read after "a cheat that": "hard-codes the metrics". */
  fakes: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .refine((value) => !value.includes('\n'), { message: 'must be one sentence on one line' }),
  /** The `details[].name` the check must report as failed for this cheat. */
  failsOn: detailNameSchema,
  kind: z.enum(cheatKinds).optional(),
  /**
   * Shell commands run as the learner in the workspace after the files are overlaid, in order,
   * each with `bash -c`: for what a file in the workspace cannot fake (a planted file under ~, a
   * background process).
   */
  setup: z.array(z.string().trim().min(1).max(2000)).max(10).default([]),
});

export type CheatDefinition = z.infer<typeof cheatSchema>;

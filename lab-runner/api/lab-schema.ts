/**
 * The lab format: `labs/<id>/lab.yaml`, validated strictly (an unknown or misspelt field fails).
 * Both the web app and the lab runner read labs through this schema and `lab-loader.ts`.
 */
import { z } from 'zod';
import { labkitServiceNames } from './labkit-services';

const kebabCase = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const labIdSchema = z.string().max(64).regex(kebabCase, 'must be a kebab-case lab id');

/** labkit services a lab may ask for (labkit-services.ts). */
export const availableServices: readonly string[] = labkitServiceNames;

export const resourcesSchema = z.strictObject({
  cpus: z.number().positive().max(8).optional(),
  memoryMb: z.number().int().min(128).max(16_384).optional(),
  diskMb: z.number().int().min(16).max(16_384).optional(),
  pids: z.number().int().min(32).max(4096).optional(),
  tmpMb: z.number().int().min(8).max(4096).optional(),
});

/** A relative path inside the lab folder, under `folder/`, optionally with one of `extensions`. */
function labPath(folder: string, extensions?: string[]) {
  return z
    .string()
    .max(256)
    .refine((value) => value.startsWith(`${folder}/`) && value.length > folder.length + 1, {
      message: `must be a path under ${folder}/`,
    })
    .refine((value) => !value.split('/').some((part) => part === '..' || part === '.' || part === ''), {
      message: 'must not contain "..", "." or empty parts',
    })
    .refine((value) => !extensions || extensions.some((extension) => value.endsWith(extension)), {
      message: `must end with ${extensions?.join(' or ')}`,
    });
}

/** A command run in a step's `runs`: one `bash -c` line, as the learner. */
const runCommandSchema = z.string().trim().min(1).max(2000);

/**
 * A program in the lab's checks/ folder (hidden from learners), run in a step's `runs` by python3
 * (.py) or bash (.sh). `as` is who runs it: the `learner` (the default, like every command), in a
 * fresh copy of the workspace, or the `grader`, in the grader's clean room like the check (to make
 * a fresh challenge and keep its reference result).
 */
const runScriptSchema = z.strictObject(
  {
    script: labPath('checks', ['.py', '.sh']),
    as: z.enum(['learner', 'grader']).default('learner'),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type' ? 'must be a command or { script: checks/<file>.py|.sh }' : undefined,
  },
);

/**
 * One entry of a step's `runs`: a command string or a `{ script }` object. Chosen by the entry's
 * type rather than with z.union, whose only message for a broken entry is "Invalid input"; this
 * way the author reads the problem of the form they wrote (`steps.0.runs.1.as: ...`).
 */
const runSchema = z.unknown().transform((value, context) => {
  const parsed =
    typeof value === 'string' ? runCommandSchema.safeParse(value) : runScriptSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) context.addIssue({ ...issue });
  return z.NEVER;
});

/** A hint shown for one state only: when `when` names the first failing detail of a check. */
const stateHintSchema = z.strictObject(
  {
    text: z.string().trim().min(1).max(1000),
    /** The `name` of a check detail, exactly as the check reports it (e.g. `mae identical`). */
    when: z.string().trim().min(1).max(200),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type' ? 'must be a text or { text, when: <detail name> }' : undefined,
  },
);

/**
 * One entry of a step's `hints`: a text (general, offered to everyone) or `{ text, when }` (offered
 * first after a check whose first failing detail is `when`). Both become `{ text, when? }`. Chosen
 * by the entry's type, like `runs`, so a broken entry's message names its own field.
 */
const hintSchema = z.unknown().transform((value, context): { text: string; when?: string } => {
  const parsed =
    typeof value === 'string'
      ? z.string().trim().min(1).max(1000).safeParse(value)
      : stateHintSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) context.addIssue({ ...issue });
    return z.NEVER;
  }
  return typeof parsed.data === 'string' ? { text: parsed.data } : parsed.data;
});

export const stepSchema = z.strictObject({
  id: z.string().max(64).regex(kebabCase, 'must be a kebab-case step id'),
  title: z.string().trim().min(1).max(120),
  /** The step's text, MDX, compiled like a chapter. */
  body: labPath('steps', ['.mdx']),
  /** Run by the grader inside the sandbox: `.py` with python3, `.sh` with bash. */
  check: labPath('checks', ['.py', '.sh']),
  /**
   * Run before the check, in order: a command with `bash -c` or a script of checks/ with its
   * interpreter, as the learner, each in a fresh copy of the workspace (`/tmp/academy-runs/<n>`);
   * or a script `as: grader`, in the grader's clean room. The check reads what the runner recorded
   * of them from `runs.json`.
   */
  runs: z.array(runSchema).max(5).default([]),
  /** Limit for each run and for the check itself. */
  timeoutSeconds: z.number().int().min(1).max(600).default(60),
  hints: z.array(hintSchema).max(5).default([]),
  /**
   * Checked in the background as the learner works (after a save or a command), so the step ticks
   * green without pressing Check; a failed background check is not shown.
   */
  autoCheck: z.boolean().default(false),
  /** Files that solve this step, copied over the workspace (same relative paths). */
  solution: labPath('solution'),
});

export const labSchema = z.strictObject({
  id: labIdSchema,
  title: z.string().trim().min(1).max(120),
  summary: z.string().trim().min(1).max(300),
  /** The chapter the lab belongs to, by its file name without `.mdx`: `01-mlops-fundamentals`. */
  chapter: z
    .string()
    .regex(/^\d{2}-[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a chapter slug such as 01-mlops-fundamentals'),
  minutes: z.number().int().min(1).max(600),
  image: z.string().min(1).max(200).optional(),
  services: z.array(z.string().min(1).max(64)).max(8).default([]),
  resources: resourcesSchema.default({}),
  timeLimitMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .optional(),
  /** Workspace files the editor opens the first time (paths inside workspace/). */
  open: z
    .array(
      z
        .string()
        .min(1)
        .max(256)
        .refine(
          (value) =>
            !value.startsWith('/') && !value.split('/').some((part) => ['..', '.', ''].includes(part)),
          {
            message: 'must be a path inside workspace/, without "..", "." or empty parts',
          },
        ),
    )
    .max(10)
    .default([]),
  steps: z.array(stepSchema).min(1, 'a lab needs at least one step'),
});

export type LabDefinition = z.infer<typeof labSchema>;
export type LabStepDefinition = z.infer<typeof stepSchema>;
export type LabRunDefinition = z.infer<typeof runSchema>;
export type LabHint = z.infer<typeof hintSchema>;

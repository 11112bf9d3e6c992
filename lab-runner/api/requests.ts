/**
 * What the web app sends the runner: the request bodies and queries of the server-to-server and
 * file endpoints, as the runner parses them. The web app's client types what it sends with the
 * input types, so a change here shows up on both sides at compile time.
 */
import { z } from 'zod';
import { labIdSchema } from './lab-schema';
import { sessionStates, userIdSchema } from './sessions';

/** The largest text file the editor saves, and the largest file an exec carries, in bytes. */
export const maxEditableFileBytes = 1024 * 1024;

/** `POST /v1/sessions` */
export const createSessionBody = z.strictObject({ userId: userIdSchema, labId: labIdSchema });
export type CreateSessionBody = z.input<typeof createSessionBody>;

/** `GET /v1/sessions?userId=&state=` */
export const listSessionsQuery = z.strictObject({
  userId: userIdSchema.optional(),
  state: z.enum(sessionStates).optional(),
});
export type ListSessionsQuery = z.input<typeof listSessionsQuery>;

/** `POST /v1/sessions/:id/exec`; `files` are written to a temporary folder the command runs in. */
export const execBody = z.strictObject({
  cmd: z
    .array(z.string().max(64 * 1024))
    .min(1)
    .max(256),
  user: z.enum(['learner', 'grader']).default('learner'),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(10 * 60_000)
    .default(30_000),
  files: z.record(z.string().min(1).max(512), z.string().max(maxEditableFileBytes)).optional(),
});
export type ExecBody = z.input<typeof execBody>;

/** `POST /v1/sessions/:id/checks` */
export const checkBody = z.strictObject({ stepId: z.string().min(1).max(64) });
export type CheckBody = z.input<typeof checkBody>;

/** `PUT /v1/sessions/:id/files?path=`: a text file's new content, or a folder to create. */
export const writeFileBody = z.union([
  z.strictObject({ content: z.string() }),
  z.strictObject({ type: z.literal('directory') }),
]);
export type WriteFileBody = z.input<typeof writeFileBody>;

/** `POST /v1/sessions/:id/files/move` */
export const moveFileBody = z.strictObject({ from: z.string(), to: z.string() });
export type MoveFileBody = z.input<typeof moveFileBody>;

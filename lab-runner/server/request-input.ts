/**
 * A request's params, query and body as typed values, through the contract's schemas: whatever
 * does not fit is a 400 BAD_REQUEST saying which field and why, the same sentence on every route.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sessionIdSchema } from '../api/sessions';
import { describeInvalid } from '../api/zod-issues';
import { RunnerError } from '../errors';

const sessionParams = z.object({ id: sessionIdSchema });

/** `what` names the input in the message: `Invalid request body: stepId: …`. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  // A request without a body is parsed as an empty one, so a missing field is named.
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new RunnerError('BAD_REQUEST', describeInvalid(what, result.error));
  return result.data;
}

/** The `:id` of a `/v1/sessions/:id…` route. */
export function sessionIdOf(request: FastifyRequest): string {
  return parseInput(sessionParams, request.params, 'session id').id;
}

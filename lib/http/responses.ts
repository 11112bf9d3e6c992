/** JSON error answers of the web app's API: `{"error": CODE, "message": "…"}` with a 4xx/5xx. */
import type { z } from 'zod';
import { describeInvalid } from '@/lab-runner/api/zod-issues';
import { RunnerRequestError } from '@/lib/runner/client';
import { ApiError } from './api-error';

export function jsonError(status: number, error: string, message: string, headers?: HeadersInit): Response {
  return Response.json({ error, message }, { status, headers });
}

/**
 * Refuses a cross-site mutation (CSRF): the browser must say the request comes from this origin,
 * through `Origin` or `Sec-Fetch-Site`. Returns a 403 response, or null when the request is fine.
 */
export function refuseCrossSite(request: Request): Response | null {
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin') {
    return jsonError(403, 'CROSS_SITE', 'This request must come from the MLOps Academy page itself.');
  }
  const origin = request.headers.get('origin');
  const host = request.headers.get('host');
  if (origin) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return jsonError(403, 'CROSS_SITE', 'The request has an invalid Origin header.');
    }
    if (originHost !== host) {
      return jsonError(403, 'CROSS_SITE', 'This request must come from the MLOps Academy page itself.');
    }
  } else if (!site) {
    return jsonError(403, 'CROSS_SITE', 'The request does not say where it comes from (no Origin header).');
  }
  return null;
}

/** Parses a JSON body (an empty one is `{}`) with a zod schema; throws a 400 when it does not fit. */
export async function readJson<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  let value: unknown = {};
  const text = await request.text();
  if (text.trim()) {
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, 'BAD_REQUEST', describeInvalid('request body', parsed.error));
  return parsed.data;
}

/**
 * Turns a thrown error into a response: an ApiError as it is; a runner error with the runner's
 * code and message (a fault inside the runner is a 502 here, as this server is its gateway; an
 * unreachable runner stays a 503); anything else a logged 500 that tells nothing of the error.
 */
export function errorResponse(error: unknown, context: string): Response {
  if (error instanceof ApiError) return jsonError(error.status, error.code, error.message);
  if (error instanceof RunnerRequestError) {
    const status = error.status >= 500 && error.code !== 'RUNNER_UNAVAILABLE' ? 502 : error.status;
    return jsonError(status, error.code, error.message);
  }
  console.error(`${context}:`, error);
  return jsonError(500, 'INTERNAL', 'Something went wrong on our side; the error has been logged.');
}

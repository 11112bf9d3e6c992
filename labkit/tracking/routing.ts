/**
 * How an endpoint of the wire module becomes a route of the tracking server: where its fields
 * come from, how they are parsed (failing with MLflow's INVALID_PARAMETER_VALUE sentences) and the
 * typed handler that answers it.
 */
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { invalidParameter } from './errors';
import type { Endpoint, ParsedRequest, ResponseBody } from './wire';

export type Route = { endpoint: Endpoint; handle: (fields: unknown) => Promise<unknown> };

/** A route whose handler gets the parsed request and must answer the endpoint's reply shape. */
export function route<E extends Endpoint>(
  endpoint: E,
  handle: (input: ParsedRequest<E>) => ResponseBody<E> | Promise<ResponseBody<E>>,
): Route {
  return { endpoint, handle: async (fields) => handle(parseFields<E['request']>(endpoint.request, fields)) };
}

/**
 * A request's fields as MLflow's server reads them: GET from the query string, DELETE from the
 * query string and/or a JSON body (MLflow's clients send either), other methods from the body.
 */
export function fieldsOf(request: FastifyRequest): unknown {
  if (request.method === 'GET') return request.query;
  if (request.method === 'DELETE') {
    return { ...(request.query as object), ...(request.body as object | undefined) };
  }
  return request.body;
}

function fieldName(path: PropertyKey[]): string {
  return path.reduce<string>(
    (name, part) =>
      typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part),
    '',
  );
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** Parses a request's fields, failing the way MLflow's handlers do (INVALID_PARAMETER_VALUE). */
export function parseFields<T extends z.ZodType>(schema: T, fields: unknown): z.output<T> {
  const input = fields ?? {};
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // The wire codecs word their refusals in full (`Invalid double value 'abc'.`).
  if (issue?.code === 'custom') throw invalidParameter(issue.message);
  const path = issue?.path ?? [];
  const value = valueAt(input, path);
  const name = fieldName(path);
  if (value === undefined || value === null || value === '') {
    throw invalidParameter(`Missing value for required parameter '${name}'`);
  }
  throw invalidParameter(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: ${issue?.message ?? 'invalid'}`,
  );
}

/** The run a request names: `run_id`, or `run_uuid` from older clients. */
export function runIdOf(fields: { run_id?: string; run_uuid?: string }): string {
  const runId = fields.run_id || fields.run_uuid;
  if (!runId) throw invalidParameter(`Missing value for required parameter 'run_id'`);
  return runId;
}

/** A paged reply: the token is left out on the last page. */
export function withPageToken<T extends object>(body: T, nextPageToken: string | undefined) {
  return nextPageToken ? { ...body, next_page_token: nextPageToken } : body;
}

/** Tags and params as MLflow lists them: `[{key, value}]`. */
export function keyValues(entries: Iterable<[string, string]>) {
  return [...entries].map(([key, value]) => ({ key, value }));
}

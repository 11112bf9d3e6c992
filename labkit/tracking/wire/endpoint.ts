/**
 * What an endpoint of MLflow's REST API is, and how its fields and replies travel. MLflow's client
 * sends GET fields in the query string (a list as a repeated key) and every other method's as a
 * JSON body; replies are JSON. The endpoint tables (`trackingEndpoints`, `registryEndpoints`) pair
 * each path with its request and response schemas, so the server parses what the clients
 * type-check against.
 */
import * as z from 'zod';
import { encodeDouble } from './codecs';

/** Where the REST API lives; MLflow's server also serves it under `/ajax-api` for its web UI. */
export const apiPrefixes = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;
/** The `mlflow-artifacts` proxy: a client maps `mlflow-artifacts:/X` to `<prefix>/X`. */
export const artifactProxyPrefixes = [
  '/api/2.0/mlflow-artifacts/artifacts',
  '/ajax-api/2.0/mlflow-artifacts/artifacts',
] as const;

/** The reply of an endpoint that has nothing to say: `{}`. */
export const emptyReply = z.object({});
/** The token for the next page of a paged reply; absent on the last page. */
export const nextPageToken = { next_page_token: z.string().optional() };

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export type Endpoint<Request extends z.ZodType = z.ZodType, Response extends z.ZodType = z.ZodType> = {
  /** The methods the server answers; the first is the one MLflow's client uses. */
  methods: readonly [HttpMethod, ...HttpMethod[]];
  /** The path under an API prefix, e.g. `runs/search`. */
  path: string;
  request: Request;
  response: Response;
};

export function endpoint<Request extends z.ZodType, Response extends z.ZodType>(
  methods: Endpoint['methods'],
  path: string,
  request: Request,
  response: Response,
): Endpoint<Request, Response> {
  return { methods, path, request, response };
}

/** The fields a client sends. */
export type RequestFields<E extends Endpoint> = z.input<E['request']>;
/** The fields as the server reads them (int64 as numbers, lists as arrays, nulls as unset). */
export type ParsedRequest<E extends Endpoint> = z.output<E['request']>;
/** What the server may answer. */
export type ResponseBody<E extends Endpoint> = z.input<E['response']>;
/** The answer as a client reads it. */
export type ParsedResponse<E extends Endpoint> = z.output<E['response']>;

/** Fields as a query string: unset ones left out, a list as a repeated key. */
export function queryOf(fields: Record<string, unknown>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
  }
  return query;
}

/**
 * Parses a JSON reply; an empty body is `{}`. Bare `NaN`, `Infinity` and `-Infinity` (Python's
 * json module writes them) are read as the quoted forms MLflow's protobuf JSON uses.
 */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    const quoted = text.replace(/([:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, '$1"$2"');
    if (quoted === text) throw error;
    return JSON.parse(quoted);
  }
}

/** JSON as MLflow writes it: numbers that are not finite become "NaN", "Infinity", "-Infinity". */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, field) => (typeof field === 'number' ? encodeDouble(field) : field),
    indent,
  );
}

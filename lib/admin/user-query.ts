/**
 * The users table's search and paging, read from the page's query string. Pure: a bad or missing
 * value falls back to the first page of everyone rather than failing the page.
 */
import { z } from 'zod';

export const usersPageSize = 25;

const querySchema = z.object({
  q: z.string().trim().max(100).catch('').default(''),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export type UserQuery = { search: string; page: number };

type SearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function parseUserQuery(params: SearchParams): UserQuery {
  const parsed = querySchema.parse({ q: first(params.q), page: first(params.page) });
  return { search: parsed.q, page: parsed.page };
}

/** The page's own URL for another page of the same search. */
export function userQueryHref(query: UserQuery): string {
  const params = new URLSearchParams();
  if (query.search) params.set('q', query.search);
  if (query.page > 1) params.set('page', String(query.page));
  const suffix = params.toString();
  return suffix ? `/admin/users?${suffix}` : '/admin/users';
}

export function pageCount(total: number, pageSize = usersPageSize): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * Talking to the production server of the `http` project (tests/http/global-setup.ts) like a
 * browser would: a cookie jar, the page's Origin, and the CSRF header on mutations. Each client has
 * an address of its own (X-Forwarded-For, trusted by that server), so rate limits per address do
 * not leak from one test into another.
 */
import crypto from 'node:crypto';
import { inject } from 'vitest';
import type { PublicUser } from '@/lib/auth/public-user';
import type { Role } from '@/lib/auth/roles';

export const baseUrl = inject('httpBaseUrl');
// Before anything reads the configuration: tests that set up users use the server's database.
process.env.DATABASE_URL = inject('httpDatabaseUrl');

export const csrfHeader = 'x-csrf-token';
export const defaultPassword = 'a long test password';

export type RequestOptions = {
  method?: string;
  /** Sent as JSON (content-type application/json). */
  json?: unknown;
  /** Sent as is. */
  body?: string;
  headers?: Record<string, string>;
  /** The Origin header; null leaves it out. Defaults to the server's own origin. */
  origin?: string | null;
  /** Whether to send the CSRF header (from the cookie) on a mutation; default true. */
  csrf?: boolean;
};

export type CookieAttributes = { value: string; attributes: string[] };

/** A browser-like client: keeps cookies, sends Origin and the CSRF header. */
export class HttpClient {
  /** `base`: the web app to talk to (the one the suite started, unless another is named). */
  constructor(readonly base: string = baseUrl) {}

  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie attributes of the last time each cookie was set. */
  readonly setCookies = new Map<string, CookieAttributes>();
  readonly address = `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      this.setCookies.set(name, { value, attributes });
      const isExpired =
        !value ||
        attributes.some((a) => /^max-age=0$/i.test(a)) ||
        attributes.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now());
      if (isExpired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(pathname: string, options: RequestOptions = {}): Promise<Response> {
    const method =
      options.method ?? (options.json !== undefined || options.body !== undefined ? 'POST' : 'GET');
    const headers = new Headers(options.headers);
    headers.set('x-forwarded-for', this.address);
    const origin = options.origin === undefined ? this.base : options.origin;
    if (origin !== null && !headers.has('origin')) headers.set('origin', origin);
    const isMutation = !['GET', 'HEAD'].includes(method);
    if (isMutation && options.csrf !== false && !headers.has(csrfHeader)) {
      if (!this.cookies.has('academy_csrf')) await this.request('/api/auth/me');
      const token = this.cookies.get('academy_csrf');
      if (token) headers.set(csrfHeader, token);
    }
    if (this.cookies.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers.set('content-type', 'application/json');
    }
    const response = await fetch(new URL(pathname, this.base), { method, headers, body, redirect: 'manual' });
    this.remember(response);
    return response;
  }

  get(pathname: string, options: Omit<RequestOptions, 'method'> = {}) {
    return this.request(pathname, { ...options, method: 'GET' });
  }

  post(pathname: string, json?: unknown, options: Omit<RequestOptions, 'method' | 'json'> = {}) {
    return this.request(pathname, { ...options, method: 'POST', json });
  }

  /** Who the server thinks this client is (GET /api/auth/me). */
  async me(): Promise<PublicUser | null> {
    const response = await this.get('/api/auth/me');
    return ((await response.json()) as { user: PublicUser | null }).user;
  }
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

export type Account = { client: HttpClient; user: PublicUser; email: string; password: string };

/**
 * A logged-in account with `role`. Learners sign up through the API like anyone; instructors and
 * admins cannot, so they are made in the database (lib/auth/accounts) and then log in.
 */
export async function signUp(
  role: Role = 'learner',
  details: { email?: string; name?: string; password?: string } = {},
): Promise<Account> {
  const email = details.email ?? uniqueEmail(role);
  const name = details.name ?? `Test ${role}`;
  const password = details.password ?? defaultPassword;
  if (role === 'learner') {
    const client = new HttpClient();
    const response = await client.post('/api/auth/signup', { email, name, password });
    if (response.status !== 201)
      throw new Error(`sign-up answered ${response.status}: ${await response.text()}`);
    const { user } = (await response.json()) as { user: PublicUser };
    return { client, user, email, password };
  }
  const { createUser } = await import('@/lib/auth/accounts');
  await createUser({ email, name, password, role });
  return login(email, password);
}

/** A new client logged in with this email and password (throws unless the server says 200). */
export async function login(email: string, password: string, client = new HttpClient()): Promise<Account> {
  const response = await client.post('/api/auth/login', { email, password });
  if (response.status !== 200)
    throw new Error(`log-in answered ${response.status}: ${await response.text()}`);
  const { user } = (await response.json()) as { user: PublicUser };
  return { client, user, email, password };
}

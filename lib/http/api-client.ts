/**
 * The browser's way to call our API: `apiFetch` is `fetch` plus the CSRF header (from the
 * `academy_csrf` cookie) and a JSON content type for string bodies. Every mutation from a page
 * goes through it; the server refuses one without the header (lib/http/api-route.ts). A failed
 * answer is read back with `apiErrorOf`, into the ApiError the server threw.
 */
import { z } from 'zod';
import { csrfCookieName, csrfHeaderName } from '@/lib/auth/cookie-names';
import { ApiError } from './api-error';

function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  for (const part of document.cookie.split(';')) {
    const separator = part.indexOf('=');
    if (separator !== -1 && part.slice(0, separator).trim() === name) {
      return decodeURIComponent(part.slice(separator + 1).trim());
    }
  }
  return undefined;
}

const isSafeMethod = (method: string) => ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

/** The CSRF token; a browser that has none yet gets one from GET /api/auth/me. */
async function csrfToken(): Promise<string | undefined> {
  const existing = readCookie(csrfCookieName);
  if (existing) return existing;
  await fetch('/api/auth/me', { credentials: 'same-origin', cache: 'no-store' }).catch(() => undefined);
  return readCookie(csrfCookieName);
}

export async function apiFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const method = init.method ?? 'GET';
  if (!isSafeMethod(method)) {
    const token = await csrfToken();
    if (token) headers.set(csrfHeaderName, token);
  }
  if (typeof init.body === 'string' && !headers.has('content-type')) {
    headers.set('content-type', 'application/json');
  }
  return fetch(input, { credentials: 'same-origin', cache: 'no-store', ...init, headers });
}

const failureBody = z.object({
  error: z.string().min(1).optional().catch(undefined),
  message: z.string().min(1).optional().catch(undefined),
});

/** What to tell people when a failed answer carries no message of its own (a proxy's page, say). */
function defaultMessage(status: number): string {
  if (status === 429) return 'Too many attempts. Wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on our side. Try again in a moment.';
  return `The server answered ${status}.`;
}

/**
 * A failed answer of our API (`{error, message}`) as an ApiError: its status, the server's code
 * (`ERROR` when it sent none) and the server's message, which is written for people.
 */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const body = failureBody.safeParse(await response.json().catch(() => null));
  const { error, message } = body.success ? body.data : {};
  return new ApiError(response.status, error ?? 'ERROR', message ?? defaultMessage(response.status));
}

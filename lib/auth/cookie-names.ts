/**
 * The cookies and header of a signed-in browser. No server imports: the browser's API client reads
 * the CSRF cookie by this name.
 */

/** HTTP-only, SameSite=Lax: a random session token (only its SHA-256 is stored). */
export const sessionCookieName = 'academy_session';

/**
 * Readable by the page's script, SameSite=Strict: a random token that every mutation sends back
 * in the `x-csrf-token` header (double submit). Another site can neither read it nor set the header.
 */
export const csrfCookieName = 'academy_csrf';
export const csrfHeaderName = 'x-csrf-token';

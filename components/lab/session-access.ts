/**
 * How the browser reaches one lab sandbox: through the web app's own origin (`/runner/…` is
 * proxied to the lab runner) with short-lived tokens the web app mints for the signed-in learner.
 * The lab workspace creates one of these when the sandbox is ready and hands it to the editor and
 * the terminal.
 */
export type SessionAccess = {
  /** The runner session id (20 hex characters). */
  sessionId: string;
  /** Base path of the runner's API on this origin, without a trailing slash: "/runner". */
  runnerBase: string;
  /** A token for the files API (`X-Academy-Token` header); cached and renewed before it expires. */
  token(): Promise<string>;
  /** A new single-use token, for one terminal WebSocket connection (`?token=`). */
  freshToken(): Promise<string>;
};

/** The runner's error body: `{"error": CODE, "message": "…"}`. */
export type RunnerErrorBody = { error: string; message: string };

export type FetchWithTokenOptions = {
  fetchImpl: typeof fetch;
  timeoutMs: number;
  /** The error to throw when the request never got an answer (offline, or no answer in time). */
  unreachable: (isTimeout: boolean) => Error;
  /** Cancels the request: it then rejects with the signal's reason (an `AbortError`). */
  signal?: AbortSignal;
};

/**
 * A request to the sandbox through `/runner` with the session's token (`X-Academy-Token`) and a
 * JSON body when there is one. A 401 is tried once more with a fresh token: the cached one may
 * have expired a moment ago.
 */
export async function fetchWithToken(
  access: SessionAccess,
  method: string,
  url: string,
  body: unknown,
  options: FetchWithTokenOptions,
): Promise<Response> {
  const send = async (token: string) => {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const headers: Record<string, string> = { 'X-Academy-Token': token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await options.fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal: options.signal
          ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
          : AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      if (options.signal?.aborted) throw abortReason(options.signal);
      throw options.unreachable(error instanceof DOMException && error.name === 'TimeoutError');
    }
  };
  const response = await send(await access.token());
  if (options.signal?.aborted) throw abortReason(options.signal);
  return response.status === 401 ? send(await access.freshToken()) : response;
}

/** What a cancelled request rejects with: the signal's reason, or an `AbortError`. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The request was cancelled.', 'AbortError');
}

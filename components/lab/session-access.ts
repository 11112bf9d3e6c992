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

/**
 * A refusal of the web app's API, answered as it is: `{"error": code, "message": message}` with
 * `status`. Each area's errors extend it, so server code throws where it finds the problem and
 * `errorResponse` writes the answer; no area needs its own catch. The browser reads such an answer
 * back into an ApiError (`apiErrorOf` in api-client.ts); status 0 there means no answer came.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a new password must be. Browser-safe, so the sign-up form can state the same rules. */

export const passwordMinLength = 10;
export const passwordMaxLength = 200;

/** Why `password` cannot be used, in words for the person choosing it; null when it is fine. */
export function passwordProblem(password: string): string | null {
  const characters = [...password];
  if (characters.length < passwordMinLength) {
    return `Use at least ${passwordMinLength} characters for your password.`;
  }
  if (characters.length > passwordMaxLength) {
    return `Use at most ${passwordMaxLength} characters for your password.`;
  }
  if (new Set(characters).size === 1) {
    return 'Your password cannot be one character repeated.';
  }
  return null;
}

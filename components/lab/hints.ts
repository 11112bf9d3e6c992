/**
 * Which hint the step panel offers next. A step's hints are general (offered to everyone, in the
 * author's order) or tied to a state: `{text, when}` is offered only after a failed check whose
 * first failing detail is `when`, and then before the general ones. Hints are revealed one at a
 * time and stay shown; which ones were shown is remembered by their place in the step's list, so
 * a later check that changes the order never hides or repeats one.
 */

export type StepHint = { text: string; when?: string };

type ResultLike = { status: string; details: readonly { name: string; status: string }[] };

/** The name of the first failing detail of a failed check, which state hints answer. */
export function firstFailingDetail(result: ResultLike | null | undefined): string | null {
  if (!result || result.status !== 'fail') return null;
  return result.details.find((detail) => detail.status === 'fail')?.name ?? null;
}

/** The hints on offer, by their index: the one for `failing` first, then the general ones. */
export function offeredHints(hints: readonly StepHint[], failing: string | null): number[] {
  const indices = hints.map((_, index) => index);
  const forState = indices.filter((i) => failing !== null && hints[i]!.when === failing);
  const general = indices.filter((i) => hints[i]!.when === undefined);
  return [...forState, ...general];
}

/** The next hint to reveal (an index into `hints`), or null when every offered one is shown. */
export function nextHint(
  hints: readonly StepHint[],
  shown: readonly number[],
  failing: string | null,
): number | null {
  return offeredHints(hints, failing).find((index) => !shown.includes(index)) ?? null;
}

/**
 * The hints shown so far, as stored in this browser: a JSON list of indices. Earlier versions
 * stored how many of the first hints were shown; that count reads as those indices.
 */
export function parseShownHints(stored: string | null, total: number): number[] {
  if (!stored) return [];
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return [];
  }
  const indices =
    typeof value === 'number' ? Array.from({ length: Math.max(0, Math.floor(value)) }, (_, i) => i) : value;
  if (!Array.isArray(indices)) return [];
  const valid = indices.filter((i): i is number => Number.isInteger(i) && i >= 0 && i < total);
  return [...new Set(valid)];
}

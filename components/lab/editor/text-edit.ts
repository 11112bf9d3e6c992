/**
 * The edits that turn one text into another, as small as a line diff can make them: reloading a
 * file changed on disk this way leaves the cursor, selections and scroll position where they were
 * whenever the changes are elsewhere, even when they are spread over the file.
 */
export type Replacement = { start: number; end: number; text: string };

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The smallest single replacement (common start and end kept); `start`/`end` are UTF-16 offsets
 * in `before`; null when the texts are equal.
 */
export function minimalReplacement(before: string, after: string): Replacement | null {
  if (before === after) return null;
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never split a surrogate pair: the edit would leave half a character behind for a moment.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;

  let suffix = 0;
  while (
    suffix < limit - start &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;

  return { start, end: before.length - suffix, text: after.slice(start, after.length - suffix) };
}

/** Lines with their line breaks, so that joining them gives the text back. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Beyond this many changed lines a diff costs more than it saves: one replacement is used. */
const maxDiffDistance = 2000;

/**
 * Pairs of equal lines (index in `a`, index in `b`) of a shortest edit script (Myers' algorithm),
 * or null when more than `maxDistance` lines differ.
 */
function matchingLines(
  a: readonly string[],
  b: readonly string[],
  maxDistance: number,
): [number, number][] | null {
  const n = a.length;
  const m = b.length;
  const offset = n + m + 1;
  const furthest = new Int32Array(2 * offset + 1);
  /** `furthest` after each step d, for the diagonals -d…d only. */
  const trace: Int32Array[] = [];
  let distance = -1;
  search: for (let d = 0; d <= Math.min(n + m, maxDistance); d++) {
    for (let k = -d; k <= d; k += 2) {
      const isDown = k === -d || (k !== d && furthest[offset + k - 1]! < furthest[offset + k + 1]!);
      let x = isDown ? furthest[offset + k + 1]! : furthest[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(furthest.slice(offset - d, offset + d + 1));
        distance = d;
        break search;
      }
    }
    trace.push(furthest.slice(offset - d, offset + d + 1));
  }
  if (distance === -1) return null;

  const pairs: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = distance; d > 0; d--) {
    const previous = trace[d - 1]!;
    const at = (k: number) => previous[k + d - 1]!;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) pairs.push([--x, --y]);
    x = previousX;
    y = previousY;
  }
  while (x > 0 && y > 0) pairs.push([--x, --y]);
  return pairs.reverse();
}

/**
 * Non-overlapping replacements, in order, with offsets in `before`; applying them all at once
 * turns `before` into `after`. Empty when the texts are equal.
 */
export function textEdits(before: string, after: string): Replacement[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  // Most changes touch a few lines: trim what is equal at both ends before diffing the middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  const pairs = matchingLines(middleA, middleB, maxDiffDistance) ?? [];

  const lineOffsets = [0];
  for (const line of a) lineOffsets.push(lineOffsets[lineOffsets.length - 1]! + line.length);
  const edits: Replacement[] = [];
  let nextA = 0;
  let nextB = 0;
  for (const [matchA, matchB] of [...pairs, [middleA.length, middleB.length] as const]) {
    if (matchA > nextA || matchB > nextB) {
      const start = lineOffsets[head + nextA]!;
      const end = lineOffsets[head + matchA]!;
      const text = middleB.slice(nextB, matchB).join('');
      const refined = minimalReplacement(before.slice(start, end), text);
      if (refined) edits.push({ start: start + refined.start, end: start + refined.end, text: refined.text });
    }
    nextA = matchA + 1;
    nextB = matchB + 1;
  }
  return edits;
}

/** Applies replacements made by `textEdits` (ordered, non-overlapping) to `text`. */
export function applyEdits(text: string, edits: readonly Replacement[]): string {
  let result = '';
  let position = 0;
  for (const edit of edits) {
    result += text.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  return result + text.slice(position);
}

/**
 * The read-only terminal view's sizing, apart from the DOM (unit-tested): the learner's terminal
 * size as the runner sends it, and the scale that fits a drawing of that size into a box.
 */

export type TerminalSize = { cols: number; rows: number };

/** Never drawn smaller than this: below it the text is unreadable anyway, and the box scrolls. */
export const minimumScale = 0.35;

/** `{"type":"size","cols","rows"}` from the runner, or null for any other frame. */
export function parseSizeMessage(data: unknown): TerminalSize | null {
  if (typeof data !== 'string') return null;
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null) return null;
  const { type, cols, rows } = message as Record<string, unknown>;
  if (type !== 'size' || !isCount(cols, 1000) || !isCount(rows, 500)) return null;
  return { cols, rows };
}

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 2 && value <= max;
}

/**
 * The scale at which a drawing of `natural` size fits within `box` (width, and at most its
 * height): never enlarged (a blurry terminal helps nobody), never below `minimumScale`.
 */
export function fitScale(
  natural: { width: number; height: number },
  box: { width: number; height: number },
): number {
  if (natural.width <= 0 || natural.height <= 0 || box.width <= 0 || box.height <= 0) return 1;
  const scale = Math.min(1, box.width / natural.width, box.height / natural.height);
  return Math.max(minimumScale, Math.floor(scale * 1000) / 1000);
}

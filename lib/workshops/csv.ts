/**
 * CSV as RFC 4180 writes it (CRLF line ends, a field quoted when it holds a comma, quote or line
 * break, quotes doubled), safe to open in a spreadsheet: a cell that starts with = + - @ (or a tab
 * or carriage return, which some spreadsheets skip before reading a formula) gets a leading `'`,
 * so a learner named `=HYPERLINK(…)` stays text (OWASP's CSV injection advice).
 */
const formulaStart = /^[=+\-@\t\r]/;

export type CsvValue = string | number | null | undefined;

export function csvCell(value: CsvValue): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

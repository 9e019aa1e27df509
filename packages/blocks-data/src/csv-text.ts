import { pythonStr } from './python-text.js';

/**
 * Rows as pandas' `DataFrame(rows).to_csv(index=False)` writes them: a header of every column in
 * first-seen order, `\n` line ends, a field quoted only when it holds a comma, a quote or a line
 * break (quotes doubled), null and absent cells empty, other values as Python's `str()`.
 */
export function toCsv(rows: readonly Readonly<Record<string, unknown>>[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const column of Object.keys(row)) if (!columns.includes(column)) columns.push(column);
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((column) => (row[column] == null ? '' : csvField(pythonStr(row[column])))).join(','));
  return `${lines.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Now in UTC as Python's `datetime.now(tz=timezone.utc).isoformat()` writes it (microseconds from milliseconds). */
export function utcIsoTimestamp(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

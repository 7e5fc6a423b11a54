/**
 * Tables in the ksql CLI's style, drawn by cli-table3: a header row, a line of
 * dashes under it and another under the last row, `|` between columns.
 */
import Table from 'cli-table3';

const KSQL_CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '-', 'bottom-mid': '-', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '|',
};

export function renderTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const table = new Table({ head: [...head], chars: KSQL_CHARS, style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push([...row]);
  const lines = table.toString().split('\n');
  const rule = lines[lines.length - 1]!;
  const headerLines = Math.max(1, ...head.map((h) => h.split('\n').length));
  lines.splice(headerLines, 0, rule);
  return lines.join('\n');
}

/** `name : value` lines, the names padded to 20 characters, as DESCRIBE and EXPLAIN print them (`%-20s : %s`). */
export function renderProperties(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([name, value]) => `${name.padEnd(20)} : ${value}`).join('\n');
}

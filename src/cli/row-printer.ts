/**
 * Prints the rows of a query as they arrive. TABULAR draws ksqlDB's
 * `+----+` frame with one cell width for every column (from the terminal's
 * width, since later rows are not known yet), wrapping a longer value over
 * as many lines as it needs, as ksqlDB's CLI does; JSON prints one object per
 * row. Values come with every number as its literal (LosslessNumber).
 */
import { LosslessNumber } from '../formats/index.js';
import { javaValueText } from './java-value-text.js';
import type { QueryHeader } from './ksql-client.js';

export type OutputFormat = 'TABULAR' | 'JSON';

export class RowPrinter {
  private cellWidth = 0;
  private names: readonly string[] = [];
  rowCount = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly format: OutputFormat,
    private readonly terminalWidth: number | undefined,
  ) {}

  header(header: QueryHeader): void {
    this.names = header.columnNames;
    if (this.format === 'JSON') return;
    // ksqlDB's rule: the terminal's width shared by the columns, less two, at least 5.
    const n = Math.max(1, this.names.length);
    this.cellWidth = !this.terminalWidth ? DETACHED_CELL_WIDTH : Math.max(Math.floor(this.terminalWidth / n) - 2, 5);
    this.write(`${this.rule()}\n${this.lines(this.names)}\n${this.rule()}\n`);
  }

  row(values: readonly unknown[]): void {
    this.rowCount++;
    if (this.format === 'JSON') {
      this.write(`${jsonText(Object.fromEntries(this.names.map((name, i) => [name, values[i] ?? null])))}\n`);
      return;
    }
    this.write(`${this.lines(values.map(javaValueText))}\n`);
  }

  /** Closes the frame of a finished query (a pull query's last row). */
  end(): void {
    if (this.format === 'TABULAR' && this.cellWidth > 0) this.write(`${this.rule()}\n`);
  }

  private rule(): string {
    return `+${this.names.map(() => '-'.repeat(this.cellWidth)).join('+')}+`;
  }

  /** One row of cells, each cut into pieces of the cell width, as many lines as the longest needs. */
  private lines(cells: readonly string[]): string {
    const w = this.cellWidth;
    const height = Math.max(1, ...cells.map((cell) => Math.ceil(cell.length / w)));
    const out: string[] = [];
    for (let line = 0; line < height; line++) {
      out.push(`|${cells.map((cell) => cell.slice(line * w, (line + 1) * w).padEnd(w)).join('|')}|`);
    }
    return out.join('\n');
  }
}

/** The cell width when the output is not a terminal (a file, a pipe). */
const DETACHED_CELL_WIDTH = 20;

/** JSON text of a row whose numbers are literals, written as they came. */
function jsonText(value: unknown): string {
  if (value instanceof LosslessNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

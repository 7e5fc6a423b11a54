/**
 * Prints the rows of a query as they arrive. TABULAR draws ksqlDB's
 * `+----+` frame with one fixed width per column (from the terminal's width,
 * since later rows are not known yet); JSON prints one object per row.
 */
import type { QueryHeader } from './ksql-client.js';

export type OutputFormat = 'TABULAR' | 'JSON';

export class RowPrinter {
  private widths: number[] = [];
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
    const n = Math.max(1, this.names.length);
    const share = this.terminalWidth === undefined ? 20 : Math.floor((this.terminalWidth - n - 1) / n);
    this.widths = this.names.map((name) => Math.max(name.length, Math.min(share, 40), 4));
    this.write(`${this.rule()}\n${this.line(this.names)}\n${this.rule()}\n`);
  }

  row(values: readonly unknown[]): void {
    this.rowCount++;
    if (this.format === 'JSON') {
      this.write(`${JSON.stringify(Object.fromEntries(this.names.map((name, i) => [name, values[i] ?? null])))}\n`);
      return;
    }
    this.write(`${this.line(values.map(formatValue))}\n`);
  }

  /** Closes the frame of a finished query (a pull query's last row). */
  end(): void {
    if (this.format === 'TABULAR' && this.widths.length > 0) this.write(`${this.rule()}\n`);
  }

  private rule(): string {
    return `+${this.widths.map((w) => '-'.repeat(w)).join('+')}+`;
  }

  private line(cells: readonly string[]): string {
    return `|${cells.map((cell, i) => cell.padEnd(this.widths[i] ?? 0)).join('|')}|`;
  }
}

/** A column value as text: strings as they are, null as `null`, anything else as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

/**
 * A statement over many rows at once (a multi-row INSERT, a DELETE ... IN
 * list), run in chunks whose sizes are powers of two up to a maximum, so that
 * at most log2(max) + 1 statement texts are ever prepared and a flush of n rows
 * costs about n / max calls into SQLite instead of n.
 */
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;

export class BatchedStatement {
  private readonly db: Database;
  private readonly sqlFor: (rows: number) => string;
  private readonly paramsPerRow: number;
  private readonly maxRows: number;
  private readonly prepared = new Map<number, BetterSqlite3.Statement>();

  /**
   * `sqlFor(n)` is the statement text for n rows; its parameters are the
   * leading parameters given to `run`, then `paramsPerRow` per row.
   */
  constructor(db: Database, sqlFor: (rows: number) => string, paramsPerRow: number, maxRows = 512) {
    this.db = db;
    this.sqlFor = sqlFor;
    this.paramsPerRow = paramsPerRow;
    this.maxRows = maxRows;
  }

  private statement(rows: number): BetterSqlite3.Statement {
    let statement = this.prepared.get(rows);
    if (statement === undefined) {
      statement = this.db.prepare(this.sqlFor(rows));
      this.prepared.set(rows, statement);
    }
    return statement;
  }

  /** Runs over `flat` (the row parameters one row after another), each chunk with `leading` first. */
  run(leading: readonly unknown[], flat: readonly unknown[]): void {
    const width = this.paramsPerRow;
    this.runRows(flat.length / width, leading, (row, params, at) => {
      for (let j = 0, from = row * width; j < width; j++) params[at + j] = flat[from + j];
    });
  }

  /**
   * Runs over `count` rows whose parameters `write(row, params, at)` puts into
   * `params` from index `at`, each chunk with `leading` first: no array of
   * every row's parameters beside the chunks'.
   */
  runRows(count: number, leading: readonly unknown[], write: (row: number, params: unknown[], at: number) => void): void {
    const width = this.paramsPerRow;
    let done = 0;
    while (done < count) {
      let rows = this.maxRows;
      while (rows > count - done) rows >>= 1;
      const params = new Array<unknown>(leading.length + rows * width);
      for (let j = 0; j < leading.length; j++) params[j] = leading[j];
      for (let i = 0, at = leading.length; i < rows; i++, at += width) write(done + i, params, at);
      this.statement(rows).run(params);
      done += rows;
    }
  }
}

/** `(?, ?, ?), (?, ?, ?)` for `rows` rows of `width` parameters. */
export function placeholderRows(rows: number, width: number): string {
  const one = `(${new Array<string>(width).fill('?').join(', ')})`;
  return new Array<string>(rows).fill(one).join(', ');
}

/** `?, ?, ?` for `count` parameters. */
export function placeholderList(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

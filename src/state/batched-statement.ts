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
    const total = flat.length / width;
    let done = 0;
    while (done < total) {
      let rows = this.maxRows;
      while (rows > total - done) rows >>= 1;
      const from = done * width;
      const params = leading.length === 0 ? flat.slice(from, from + rows * width) : [...leading, ...flat.slice(from, from + rows * width)];
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

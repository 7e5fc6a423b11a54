/**
 * Replays a page of ksqlDB's documentation against a real server, as a new
 * user would: statements in the page's order, SET kept by the client (as the
 * CLI does) and sent with every request, SELECTs through /query-stream.
 */
import { runSql, type Harness } from '../server/helpers.js';
import { postStreamHttp1 } from '../server/stream-helpers.js';

export interface QueryResult {
  readonly columnNames: readonly string[];
  readonly rows: readonly unknown[][];
}

export class Tutorial {
  private readonly properties: Record<string, string> = {};

  constructor(private readonly h: Harness) {}

  /** Runs the page's non-query statements in order; each must succeed. SET is the client's, as in the CLI. */
  async run(script: string): Promise<unknown[]> {
    const entities: unknown[] = [];
    for (const sql of splitStatements(script)) {
      const set = /^SET\s+'([^']+)'\s*=\s*'([^']*)'\s*;$/i.exec(sql);
      if (set !== null) {
        this.properties[set[1]] = set[2];
        continue;
      }
      const res = await runSql(this.h, sql, { streamsProperties: this.properties });
      if (res.status !== 200) throw new Error(`${sql} failed: ${JSON.stringify(res.body)}`);
      entities.push(...(res.body as unknown[]));
    }
    return entities;
  }

  /** Runs one statement that must fail, answering the server's error message. */
  async fail(sql: string): Promise<string> {
    const res = await runSql(this.h, sql, { streamsProperties: this.properties });
    if (res.status === 200) throw new Error(`${sql} succeeded: ${JSON.stringify(res.body)}`);
    return (res.body as { message: string }).message;
  }

  /** A pull query (or a push query with LIMIT): every row until the server ends the response. */
  async pull(sql: string): Promise<QueryResult> {
    const res = this.query(sql);
    await res.ended;
    return parse(res.text(), sql);
  }

  /** A pull query on a table its own query fills: asked again until it answers `expected` (or 10 s), then its last rows. */
  async pullUntil(sql: string, expected: readonly unknown[][]): Promise<readonly unknown[][]> {
    let rows: readonly unknown[][] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      rows = (await this.pull(sql)).rows;
      if (JSON.stringify(rows) === JSON.stringify(expected)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return rows;
  }

  /** A push query as the page writes it (no LIMIT): its first `n` rows, then the client closes it. */
  async push(sql: string, n: number): Promise<QueryResult> {
    const res = this.query(sql);
    try {
      return parse((await res.lines(n + 1)).join('\n'), sql);
    } finally {
      res.close();
    }
  }

  private query(sql: string): ReturnType<typeof postStreamHttp1> {
    return postStreamHttp1(this.h.url, '/query-stream', JSON.stringify({ sql, properties: this.properties }),
      { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' });
  }
}

function parse(text: string, sql: string): QueryResult {
  const [header, ...rows] = text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
  const columnNames = (header as { columnNames?: string[] }).columnNames;
  if (columnNames === undefined) throw new Error(`${sql} failed: ${JSON.stringify(header)}`);
  return { columnNames, rows: rows.filter((r): r is unknown[] => Array.isArray(r)) };
}

/** The statements of a script, each with its ';'; `--` comment lines are dropped. */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const line of script.split('\n')) {
    if (!quoted && line.trim().startsWith('--')) continue;
    for (const ch of `${line}\n`) {
      current += ch;
      if (ch === "'") quoted = !quoted;
      if (ch === ';' && !quoted) {
        out.push(current.trim());
        current = '';
      }
    }
  }
  if (current.trim() !== '') throw new Error(`unterminated statement: ${current.trim()}`);
  return out;
}

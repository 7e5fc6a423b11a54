/**
 * The pull queries of the serve bench: several statement shapes over the
 * bench's tables (a key lookup, an IN list, a range of windows of one key on
 * a windowed table, a projection with expressions), each with literals drawn
 * per request, and each with the rows it must answer, known from how the
 * tables were filled: KVT holds V = 2 * ID for every ID below `keys`; KWT
 * counts one record of V = ID + w in each hour-long window w (0, 1, 2) for
 * every ID below `windowKeys`. The bare server answers the same rows, read
 * back from the statement, so both servers send responses of the same size.
 */

export const HOUR_MS = 3_600_000;
/** Windows per key of the windowed table. */
export const WINDOWS = 3;

export interface PullRequest {
  readonly sql: string;
  /** The header's column names, and the rows in the order the query gives them (by key, then window). */
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface TableSizes {
  readonly keys: number;
  readonly windowKeys: number;
}

type Shape = (sizes: TableSizes, random: () => number) => PullRequest;

const pick = (n: number, random: () => number): number => Math.floor(random() * n);

function keyLookup(id: number): PullRequest {
  return { sql: `SELECT * FROM KVT WHERE ID = ${id};`, columnNames: ['ID', 'V'], columnTypes: ['INTEGER', 'INTEGER'], rows: [[id, id * 2]] };
}

function inList(ids: readonly number[]): PullRequest {
  const distinct = [...new Set(ids)];
  return {
    sql: `SELECT ID, V FROM KVT WHERE ID IN (${ids.join(', ')});`,
    columnNames: ['ID', 'V'],
    columnTypes: ['INTEGER', 'INTEGER'],
    // Each key is read from its own partition's store: the client compares them as a set.
    rows: distinct.map((id) => [id, id * 2]),
  };
}

function windowRange(id: number, from: number, to: number): PullRequest {
  const rows: unknown[][] = [];
  for (let w = from; w < to; w++) rows.push([id, w * HOUR_MS, 1, id + w]);
  return {
    sql: `SELECT ID, WINDOWSTART, N, S FROM KWT WHERE ID = ${id} AND WINDOWSTART >= ${from * HOUR_MS} AND WINDOWSTART < ${to * HOUR_MS};`,
    columnNames: ['ID', 'WINDOWSTART', 'N', 'S'],
    columnTypes: ['INTEGER', 'BIGINT', 'BIGINT', 'INTEGER'],
    rows,
  };
}

function projection(id: number): PullRequest {
  return {
    sql: `SELECT ID, V * 3 + 1 AS X, CONCAT('v', CAST(V AS STRING)) AS S FROM KVT WHERE ID = ${id};`,
    columnNames: ['ID', 'X', 'S'],
    columnTypes: ['INTEGER', 'INTEGER', 'STRING'],
    rows: [[id, id * 6 + 1, `v${id * 2}`]],
  };
}

export const PULL_SHAPES: readonly Shape[] = [
  (s, r) => keyLookup(pick(s.keys, r)),
  (s, r) => inList([pick(s.keys, r), pick(s.keys, r), pick(s.keys, r)]),
  (s, r) => {
    const from = pick(WINDOWS, r);
    return windowRange(pick(s.windowKeys, r), from, from + 1 + pick(WINDOWS - from, r));
  },
  (s, r) => projection(pick(s.keys, r)),
];

/** The request the bare server was sent, read back from its statement. */
export function requestOf(sql: string): PullRequest {
  const numbers = (sql.match(/\d+/g) ?? []).map(Number);
  if (sql.startsWith('SELECT * FROM KVT')) return keyLookup(numbers[0]!);
  if (sql.startsWith('SELECT ID, V FROM KVT')) return inList(numbers);
  if (sql.includes('FROM KWT')) return windowRange(numbers[0]!, numbers[1]! / HOUR_MS, numbers[2]! / HOUR_MS);
  // The projection's statement holds the literals 3 and 1 before its key.
  return projection(numbers[numbers.length - 1]!);
}

/** The delimited response (/query-stream) the request's rows make. */
export function delimitedBody(request: PullRequest): string {
  let body = `${JSON.stringify({ columnNames: request.columnNames, columnTypes: request.columnTypes })}\n`;
  for (const row of request.rows) body += `${JSON.stringify(row)}\n`;
  return body;
}

/** Undefined when `body` answers `request`, else what is wrong. */
export function checkAnswer(request: PullRequest, body: string): string | undefined {
  const lines = body.split('\n').filter((l) => l !== '');
  const header = JSON.parse(lines[0] ?? 'null') as { columnNames?: unknown; columnTypes?: unknown } | null;
  if (JSON.stringify(header?.columnNames) !== JSON.stringify(request.columnNames) || JSON.stringify(header?.columnTypes) !== JSON.stringify(request.columnTypes)) {
    return `the header ${lines[0]} is not ${JSON.stringify(request.columnNames)} ${JSON.stringify(request.columnTypes)}`;
  }
  const got = lines.slice(1).sort();
  const want = request.rows.map((r) => JSON.stringify(r)).sort();
  return JSON.stringify(got) === JSON.stringify(want) ? undefined : `rows ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
}

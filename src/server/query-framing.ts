/**
 * The shapes of a query's output on each endpoint:
 *  - /query-stream delimited: the header object, then one JSON array per row,
 *    each on its own line; an error object line if the query fails. Like
 *    ksqlDB's, /query-stream drops the tombstones of push queries on tables;
 *    /query and /ws/query send them as rows marked `"tombstone":true`.
 *  - /query-stream JSON: one array holding the header object and the rows.
 *  - /query (ksqlDB's older endpoint): an array of `{"header":...}`,
 *    `{"row":{"columns":[...]}}`, `{"finalMessage":...}` or `{"errorMessage":...}`.
 *  - /ws/query: the columns as ksqlDB's field infos, then one `{"row":...}`
 *    message per row; the end is said by the close code.
 */
import type { KsqlError } from '../common/errors.js';
import { describeSqlType } from '../engine/field-info.js';
import type { PreparedQuery } from '../engine/prepared-query.js';
import { formatSqlType, quoteIdentifier } from '../schema/sql-type.js';
import { genericError } from './error-response.js';
import type { QueryFraming } from './stream-query.js';

function queryHeader(query: PreparedQuery): Record<string, unknown> {
  return {
    ...(query.isPull ? {} : { queryId: query.id }),
    columnNames: query.columns.map((c) => c.name),
    columnTypes: query.columns.map((c) => formatSqlType(c.type)),
  };
}

const pullHeaders = new WeakMap<PreparedQuery['columns'], string>();

/** The header object's JSON; a pull query's names no query, so queries sharing their columns (one cached shape) share it. */
function headerJson(query: PreparedQuery): string {
  if (!query.isPull) return JSON.stringify(queryHeader(query));
  let text = pullHeaders.get(query.columns);
  if (text === undefined) pullHeaders.set(query.columns, text = JSON.stringify(queryHeader(query)));
  return text;
}

export const DELIMITED_FRAMING: QueryFraming = {
  header: (query) => `${headerJson(query)}\n`,
  row: (columns) => `${columns}\n`,
  tombstone: () => undefined,
  error: (error) => `${JSON.stringify(genericError(error))}\n`,
  limitReached: () => undefined,
  end: () => undefined,
  continuationToken: (token) => `${JSON.stringify({ continuationToken: token })}\n`,
};

export const JSON_FRAMING: QueryFraming = {
  header: (query) => `[${headerJson(query)}`,
  row: (columns) => `,${columns}`,
  tombstone: () => undefined,
  error: (error) => `,${JSON.stringify(genericError(error))}`,
  limitReached: () => undefined,
  end: () => ']',
  continuationToken: (token) => `,${JSON.stringify({ continuationToken: token })}`,
};

export const LEGACY_FRAMING: QueryFraming = {
  header: (query) => {
    const schema = query.columns.map((c) => `${quoteIdentifier(c.name)} ${formatSqlType(c.type)}${c.key === true ? ' KEY' : ''}`).join(', ');
    return `[${JSON.stringify({ header: { queryId: query.id, schema } })}`;
  },
  row: (columns) => `,\n{"row":{"columns":${columns}}}`,
  tombstone: (columns) => `,\n{"row":{"columns":${columns},"tombstone":true}}`,
  error: (error) => `,\n${JSON.stringify({ errorMessage: genericError(error) })}`,
  limitReached: () => `,\n${JSON.stringify({ finalMessage: 'Limit Reached' })}`,
  end: () => ']\n',
};

export const WEBSOCKET_FRAMING: QueryFraming = {
  header: (query) => JSON.stringify(query.columns.map((c) => ({ name: c.name, schema: describeSqlType(c.type) }))),
  row: (columns) => `{"row":{"columns":${columns}}}`,
  tombstone: (columns) => `{"row":{"columns":${columns},"tombstone":true}}`,
  error: () => undefined,
  limitReached: () => undefined,
  end: () => undefined,
};

/** ksqlDB's choice for /query-stream and /inserts-stream: JSON when asked for, else delimited. */
export function wantsJson(accept: string | undefined): boolean {
  return accept !== undefined && /application\/json/i.test(accept);
}

/**
 * ksqlDB's keywords. Reserved words cannot be identifiers unless quoted;
 * non-reserved words (ksqlDB's `nonReserved` list, plus PAUSE and RESUME)
 * can. Words ksqlDB reserves but no statement uses yet stay reserved, so we
 * reject the same identifiers ksqlDB rejects.
 */
export const NON_RESERVED_KEYWORDS = [
  'SHOW', 'TABLES', 'COLUMNS', 'COLUMN', 'PARTITIONS', 'FUNCTIONS', 'FUNCTION', 'SESSION',
  'STRUCT', 'MAP', 'ARRAY', 'PARTITION',
  'INTEGER', 'DATE', 'TIME', 'TIMESTAMP', 'INTERVAL', 'ZONE', 'STRING',
  'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND',
  'EXPLAIN', 'ANALYZE', 'TYPE', 'TYPES',
  'SET', 'RESET', 'IF', 'SOURCE', 'SINK', 'PRIMARY', 'KEY',
  'EMIT', 'CHANGES', 'FINAL', 'ESCAPE', 'REPLACE', 'ASSERT', 'ALTER', 'ADD',
  'HEADER', 'HEADERS', 'GRACE', 'PERIOD', 'DEFINE', 'UNDEFINE', 'VARIABLES',
  'PLUGINS', 'SYSTEM', 'TIMEOUT', 'SCHEMA', 'SUBJECT', 'ID',
  'PAUSE', 'RESUME',
  // Pull-query ORDER BY and OFFSET (beyond ksqlDB): non-reserved, so no name ksqlDB accepts is refused.
  'ORDER', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST', 'OFFSET',
] as const;

export const RESERVED_KEYWORDS = [
  'SELECT', 'FROM', 'AS', 'ALL', 'DISTINCT', 'WHERE', 'WITHIN', 'WINDOW', 'GROUP', 'BY',
  'HAVING', 'LIMIT', 'AT', 'OR', 'AND', 'IN', 'NOT', 'EXISTS', 'BETWEEN', 'LIKE', 'IS',
  'NULL', 'TRUE', 'FALSE', 'MILLISECOND', 'YEARS', 'MONTHS', 'DAYS', 'HOURS', 'MINUTES',
  'SECONDS', 'MILLISECONDS', 'TUMBLING', 'HOPPING', 'SIZE', 'ADVANCE', 'RETENTION',
  'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'JOIN', 'FULL', 'OUTER', 'INNER', 'LEFT', 'RIGHT',
  'ON', 'WITH', 'VALUES', 'CREATE', 'TABLE', 'TOPIC', 'STREAM', 'STREAMS', 'INSERT',
  'DELETE', 'INTO', 'DESCRIBE', 'EXTENDED', 'PRINT', 'CAST', 'LIST', 'TOPICS', 'QUERY',
  'QUERIES', 'TERMINATE', 'LOAD', 'DROP', 'TO', 'RENAME', 'SAMPLE', 'EXPORT', 'CATALOG',
  'PROPERTIES', 'BEGINNING', 'UNSET', 'RUN', 'SCRIPT', 'DECIMAL', 'CONNECTOR', 'CONNECTORS',
  'NAMESPACE', 'MATERIALIZED', 'VIEW',
] as const;

export type Keyword = (typeof NON_RESERVED_KEYWORDS)[number] | (typeof RESERVED_KEYWORDS)[number];

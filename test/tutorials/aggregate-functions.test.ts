/**
 * developer-guide/ksqldb-reference/aggregate-functions.md: its rules and
 * examples on one stream. A push query grouping a stream by its own key
 * (no repartition) keeps its aggregates in stores as any aggregation does;
 * an aggregate called without arguments (`AVG(*)`, `AVG()`) aggregates
 * ROWTIME, as the page says.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer({
  statements: [
    "CREATE STREAM readings (k VARCHAR KEY, x INT, y DOUBLE, s VARCHAR, n INT) WITH (kafka_topic='readings', partitions=1, value_format='json');",
    "INSERT INTO readings (ROWTIME, k, x, y, s, n) VALUES (1000, 'a', 1, 2.0, 'p', 7);",
    "INSERT INTO readings (ROWTIME, k, x, y, s, n) VALUES (2000, 'a', 2, 4.5, 'q', NULL);",
    "INSERT INTO readings (ROWTIME, k, x, y, s, n) VALUES (3000, 'a', 3, 5.0, 'p', 9);",
    "INSERT INTO readings (ROWTIME, k, x, y, s, n) VALUES (6000, 'a', NULL, 1.0, NULL, 1);",
  ],
});

test('a push query grouping a stream by its key, and AVG(*) / AVG() / COUNT() over ROWTIME', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("SET 'auto.offset.reset' = 'earliest';");
  // Every update of the batch (with ksqlDB's default record cache they collapse per key between commits).
  await tut.run("SET 'cache.max.bytes.buffering' = '0';");
  const result = await tut.push('SELECT k, AVG(*), AVG(), COUNT(), COUNT(*), COUNT(n), SUM(n), MIN(n), MAX(y) FROM readings GROUP BY k EMIT CHANGES;', 4);
  t.deepEqual(result.columnNames, ['K', 'KSQL_COL_0', 'KSQL_COL_1', 'KSQL_COL_2', 'KSQL_COL_3', 'KSQL_COL_4', 'KSQL_COL_5', 'KSQL_COL_6', 'KSQL_COL_7']);
  t.deepEqual(result.rows[3], ['a', 3000, 3000, 4, 4, 3, 17, 1, 5]);
});

test('collections, offsets and top-K: the offsets ignore NULLs unless asked, TOPK with other columns gives sort_col/col0/col1 structs', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE TABLE reading_aggregates AS SELECT k,
  COLLECT_SET(s) AS set_s, HISTOGRAM(s) AS histogram_s,
  EARLIEST_BY_OFFSET(n) AS earliest, EARLIEST_BY_OFFSET(n, 2) AS earliest_2,
  LATEST_BY_OFFSET(n) AS latest, LATEST_BY_OFFSET(x, false) AS latest_x, LATEST_BY_OFFSET(n, 2, false) AS latest_2,
  TOPK(x, 2) AS top_x, TOPK(y, s, n, 2) AS top_y, TOPKDISTINCT(s, 2) AS top_s
  FROM readings GROUP BY k;`);
  // COLLECT_SET keeps a NULL as one of its values (ksqlDB's CollectSetUdaf checks no NULLs).
  const expected = [['a', ['p', 'q', null], { p: 2, q: 1 }, 7, [7, 9], 1, null, [9, 1], [3, 2],
    [{ sort_col: 5, col0: 'p', col1: 9 }, { sort_col: 4.5, col0: 'q', col1: null }], ['q', 'p']]];
  t.deepEqual(await tut.pullUntil('SELECT * FROM reading_aggregates;', expected), expected);
});

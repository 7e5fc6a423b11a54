/** how-to-guides/convert-changelog-to-table.md, statement by statement. */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

const CHANGES = `
SET 'auto.offset.reset' = 'earliest';
INSERT INTO changelog_stream (k, v1, v2, v3) VALUES ('k1', 0, 'a', true);
INSERT INTO changelog_stream (k, v1, v2, v3) VALUES ('k2', 1, 'b', false);
INSERT INTO changelog_stream (k, v1, v2, v3) VALUES ('k1', 2, 'c', false);
INSERT INTO changelog_stream (k, v1, v2, v3) VALUES ('k3', 3, 'd', true);
INSERT INTO changelog_stream (k, v1, v2, v3) VALUES ('k2', 4, 'e', true);
`;

const LATEST = [['k1', 2, 'c', false], ['k2', 4, 'e', true], ['k3', 3, 'd', true]];

test.serial('a source table over the changelog topic answers pull queries with the latest row per key, in key order', async (t) => {
  const tut = new Tutorial(h);
  // The page's topic holds the changes already: the stream below writes them there.
  await tut.run(`CREATE STREAM changelog_stream (k VARCHAR KEY, v1 INT, v2 VARCHAR, v3 BOOLEAN)
    WITH (kafka_topic = 'changelog', partitions = 1, value_format = 'JSON');`);
  await tut.run(CHANGES);
  await tut.run(`CREATE SOURCE TABLE latest_view (
    k VARCHAR PRIMARY KEY,
    v1 INT,
    v2 VARCHAR,
    v3 BOOLEAN
) WITH (
    kafka_topic = 'changelog',
    partitions = 1,
    value_format = 'JSON'
);`);
  const all = await tut.pull('SELECT * FROM latest_view;');
  t.deepEqual(all.columnNames, ['K', 'V1', 'V2', 'V3']);
  t.deepEqual(all.rows, LATEST);
  t.deepEqual((await tut.pull("SELECT * FROM latest_view WHERE k = 'k2';")).rows, [['k2', 4, 'e', true]]);
});

test.serial('the changelog stream materialized with LATEST_BY_OFFSET gives the same rows', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("SET 'auto.offset.reset' = 'earliest';");
  const stream = await tut.pull('SELECT * FROM changelog_stream;');
  t.deepEqual(stream.rows, [['k1', 0, 'a', true], ['k2', 1, 'b', false], ['k1', 2, 'c', false], ['k3', 3, 'd', true], ['k2', 4, 'e', true]]);
  await tut.run(`CREATE TABLE latest_events AS
    SELECT k,
           LATEST_BY_OFFSET(v1) AS v1,
           LATEST_BY_OFFSET(v2) AS v2,
           LATEST_BY_OFFSET(v3) AS v3
    FROM changelog_stream
    GROUP BY k
    EMIT CHANGES;`);
  t.deepEqual(await tut.pullUntil('SELECT * FROM latest_events;', LATEST), LATEST);
});

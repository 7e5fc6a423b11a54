/**
 * developer-guide/ksqldb-reference/create-stream-as-select.md and
 * create-table-as-select.md: their examples on sources declared here. Where
 * a page's statement is not valid ksqlDB (a table without its key, a
 * TUMBLING window without SIZE), the test checks the refusal.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test.serial('create-stream-as-select: a filtering view and a table lookup', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM source_stream (a INT, few VARCHAR, columns VARCHAR, other INT) WITH (kafka_topic='source_stream', partitions=1, value_format='json');
CREATE STREAM filtered AS
   SELECT 
     a, 
     few,
     columns 
   FROM source_stream
   EMIT CHANGES;
CREATE STREAM clickstream (userId INT, url VARCHAR) WITH (kafka_topic='clickstream', partitions=1, value_format='json');
CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR, classification VARCHAR, level INT) WITH (kafka_topic='users', partitions=1, value_format='json');
INSERT INTO users (ROWTIME, id, name, classification, level) VALUES (1000, 1, 'Ann', 'gold', 3);
INSERT INTO clickstream (ROWTIME, userId, url) VALUES (2000, 1, '/home');
CREATE STREAM enriched AS
   SELECT
      cs.*,
      u.name,
      u.classification,
      u.level
   FROM clickstream cs
      JOIN users u ON u.id = cs.userId
   EMIT CHANGES;`);
  const enriched = await tut.push('SELECT * FROM enriched EMIT CHANGES;', 1);
  t.deepEqual(enriched.columnNames, ['CS_USERID', 'CS_URL', 'NAME', 'CLASSIFICATION', 'LEVEL']);
  t.deepEqual(enriched.rows, [[1, '/home', 'Ann', 'gold', 3]]);
});

test.serial('create-table-as-select: windowed tables with retention and grace, a weekly chart over a join', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM s1 (regionid VARCHAR) WITH (kafka_topic='s1', partitions=1, value_format='json');
CREATE TABLE pageviews_per_region 
WITH (kafka_topic='pageviews-per-region', format='avro', partitions=3, retention_ms=604800000)
AS SELECT regionid, count(*) FROM s1 
WINDOW TUMBLING (SIZE 10 SECONDS, RETENTION 2 DAYS)
GROUP BY regionid;
CREATE STREAM pageviews (regionid VARCHAR, gender VARCHAR) WITH (kafka_topic='pageviews', partitions=1, value_format='json');
CREATE TABLE pageviews_per_region_6 AS
  SELECT regionid, COUNT(*) FROM pageviews
  WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS, RETENTION 7 DAYS, GRACE PERIOD 30 MINUTES)
  WHERE UCASE(gender)='FEMALE' AND LCASE (regionid) LIKE '%_6'
  GROUP BY regionid
  EMIT CHANGES;
CREATE STREAM playStream (song_id INT, user VARCHAR) WITH (kafka_topic='plays', partitions=1, value_format='json');
CREATE TABLE songs (id INT PRIMARY KEY, songName VARCHAR) WITH (kafka_topic='songs', partitions=1, value_format='json');
INSERT INTO songs (ROWTIME, id, songName) VALUES (0, 1, 'Song A');
INSERT INTO playStream (ROWTIME, song_id, user) VALUES (1000, 1, 'u');
INSERT INTO playStream (ROWTIME, song_id, user) VALUES (2000, 1, 'v');`);
  const [described] = await tut.run('DESCRIBE pageviews_per_region EXTENDED;') as { sourceDescription: { partitions: number; windowType: string; keyFormat: string; valueFormat: string } }[];
  t.like(described!.sourceDescription, { partitions: 3, windowType: 'TUMBLING', keyFormat: 'AVRO', valueFormat: 'AVRO' });
  t.regex(await tut.fail(`CREATE TABLE weeklyMusicCharts AS
   SELECT
      s.songName,
      count(1) AS playCount
   FROM playStream p
      JOIN songs s ON p.song_id = s.id
   WINDOW TUMBLING (7 DAYS)
   GROUP BY s.songName
   EMIT CHANGES;`), /Syntax Error\nmissing 'SIZE' at '7'/);
  await tut.run(`CREATE TABLE weeklyMusicCharts AS
   SELECT
      s.songName,
      count(1) AS playCount
   FROM playStream p
      JOIN songs s ON p.song_id = s.id
   WINDOW TUMBLING (SIZE 7 DAYS)
   GROUP BY s.songName
   EMIT CHANGES;`);
  const week = Date.UTC(1970, 0, 1) + 7 * 24 * 3600 * 1000;
  t.deepEqual(await tut.pullUntil('SELECT * FROM weeklyMusicCharts;', [['Song A', 0, week, 2]]), [['Song A', 0, week, 2]]);
});

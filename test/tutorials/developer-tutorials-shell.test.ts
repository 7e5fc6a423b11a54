/**
 * The interactive steps of ksqlDB's quickstart (ksqldb.io) and of Confluent's
 * ksqlDB tutorials (developer.confluent.io), typed into the shell against a
 * real server as a new user would: a geo-distance materialized view and its
 * pull query, counting a topic's messages, merging streams with INSERT INTO,
 * converting Avro to Protobuf, converting time zones, reading
 * deserialization errors from the processing log, and the Connect-only
 * steps without a Connect cluster. The SQL and data are ours, in the
 * tutorials' shapes.
 */
import test from 'ava';
import { runShell, shellOutput } from '../cli/helpers.js';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer({ start: { properties: { 'ksql.logging.processing.stream.auto.create': 'true', 'ksql.logging.processing.rows.include': 'true' } } });

const shell = (sql: string): Promise<string> => shellOutput(h.url, sql);

/** Waits (over REST, which is quicker than starting a shell) until a table's own query has filled it. */
async function filled(sql: string, expected: readonly unknown[][]): Promise<void> {
  await new Tutorial(h).pullUntil(sql, expected);
}

/** The rows of the shell's result tables, as lists of trimmed cells (a wrapped cell stays split). */
function tableRows(out: string): string[][] {
  return out.split('\n').filter((line) => /^\|.*\|$/.test(line)).map((line) => line.slice(1, -1).split('|').map((cell) => cell.trim()));
}

test.serial('quickstart: latest positions per rider, riders grouped by distance, a push query near a point and a pull query on the view', async (t) => {
  await shell(`CREATE STREAM courierPositions (courierId VARCHAR, lat DOUBLE, lon DOUBLE)
  WITH (kafka_topic='courier-positions', value_format='json', partitions=1);
CREATE TABLE lastPosition AS
  SELECT courierId, LATEST_BY_OFFSET(lat) AS la, LATEST_BY_OFFSET(lon) AS lo
  FROM courierPositions GROUP BY courierId EMIT CHANGES;
CREATE TABLE couriersNearDepot AS
  SELECT ROUND(GEO_DISTANCE(la, lo, 38.7223, -9.1393), -1) AS distanceKm,
         COLLECT_LIST(courierId) AS couriers, COUNT(*) AS count
  FROM lastPosition
  GROUP BY ROUND(GEO_DISTANCE(la, lo, 38.7223, -9.1393), -1);
INSERT INTO courierPositions (courierId, lat, lon) VALUES ('c1', 38.7250, -9.1400);
INSERT INTO courierPositions (courierId, lat, lon) VALUES ('c2', 38.8000, -9.4000);
INSERT INTO courierPositions (courierId, lat, lon) VALUES ('c3', 38.7260, -9.1450);
INSERT INTO courierPositions (courierId, lat, lon) VALUES ('c2', 38.7230, -9.1390);`);
  // c2 moved from about 24 km away to the depot: its old group drops to zero.
  await filled('SELECT count FROM couriersNearDepot WHERE distanceKm = 0;', [[3]]);
  const out = await shell(`SET 'auto.offset.reset' = 'earliest';
SELECT * FROM courierPositions WHERE GEO_DISTANCE(lat, lon, 38.7223, -9.1393) <= 5 EMIT CHANGES LIMIT 3;
SELECT distanceKm, couriers, count FROM couriersNearDepot WHERE distanceKm <= 30;`);
  t.deepEqual(tableRows(out), [
    ['COURIERID', 'LAT', 'LON'], ['c1', '38.725', '-9.14'], ['c3', '38.726', '-9.145'], ['c2', '38.723', '-9.139'],
    ['DISTANCEKM', 'COURIERS', 'COUNT'], ['0.0', '[c1, c3, c2]', '3'], ['20.0', '[]', '0'],
  ]);
  t.regex(out, /Limit Reached\nQuery terminated/);
});

test.serial('count messages: a table of one row grouped by a constant, asked by a pull query', async (t) => {
  await shell(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM visits (path VARCHAR) WITH (kafka_topic='visits', value_format='JSON', partitions=1);
INSERT INTO visits (path) VALUES ('/');
INSERT INTO visits (path) VALUES ('/about');
INSERT INTO visits (path) VALUES ('/');
CREATE TABLE visit_count AS SELECT 'X' AS X, COUNT(*) AS N FROM visits GROUP BY 'X' EMIT CHANGES;`);
  await filled("SELECT N FROM visit_count WHERE X = 'X';", [[3]]);
  t.deepEqual(tableRows(await shell("SELECT * FROM visit_count WHERE X = 'X';")), [['X', 'N'], ['X', '3']]);
});

test.serial('merge streams: two INSERT INTO ... SELECT queries fill one Avro stream, each adding its constant', async (t) => {
  const out = await shell(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM jazz (artist VARCHAR, track VARCHAR) WITH (kafka_topic='jazz', partitions=1, value_format='avro');
CREATE STREAM folk (artist VARCHAR, track VARCHAR) WITH (kafka_topic='folk', partitions=1, value_format='avro');
CREATE STREAM playlist (artist VARCHAR, track VARCHAR, style VARCHAR) WITH (kafka_topic='playlist', partitions=1, value_format='avro');
INSERT INTO jazz (artist, track) VALUES ('Nina', 'Lilac Wine');
INSERT INTO folk (artist, track) VALUES ('Odetta', 'Waterboy');
INSERT INTO playlist SELECT artist, track, 'jazz' AS style FROM jazz;
INSERT INTO playlist SELECT artist, track, 'folk' AS style FROM folk;
SELECT * FROM playlist EMIT CHANGES LIMIT 2;`);
  t.regex(out, /Created query with ID INSERTQUERY_\d+/);
  t.deepEqual(tableRows(out).slice(1).sort(), [['Nina', 'Lilac Wine', 'jazz'], ['Odetta', 'Waterboy', 'folk']]);
});

test.serial('convert formats: a stream of Avro records rewritten as Protobuf, printed and read back', async (t) => {
  const out = await shell(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM films_avro (film_id BIGINT KEY, title VARCHAR, year INT) WITH (kafka_topic='films-avro', partitions=1, value_format='avro');
INSERT INTO films_avro (film_id, title, year) VALUES (1, 'Ran', 1985);
CREATE STREAM films_proto WITH (kafka_topic='films-proto', value_format='protobuf') AS SELECT * FROM films_avro;
SELECT * FROM films_proto EMIT CHANGES LIMIT 1;
PRINT 'films-proto' FROM BEGINNING LIMIT 1;`);
  t.deepEqual(tableRows(out), [['FILM_ID', 'TITLE', 'YEAR'], ['1', 'Ran', '1985']]);
  t.regex(out, /Value format: PROTOBUF\n.*key: 1, value: TITLE: "Ran" YEAR: 1985, partition: 0\n/);
});

test.serial('time: event time from a column becomes ROWTIME, and CONVERT_TZ moves a timestamp to another zone', async (t) => {
  const out = await shell(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM readings (celsius DOUBLE, taken_at BIGINT) WITH (kafka_topic='readings', partitions=1, value_format='avro', timestamp='taken_at');
INSERT INTO readings (celsius, taken_at) VALUES (21.5, 1700000000000);
SELECT *, ROWTIME FROM readings EMIT CHANGES LIMIT 1;
CREATE STREAM readings_lisbon_ny AS SELECT celsius, CONVERT_TZ(FROM_UNIXTIME(taken_at), 'Europe/Lisbon', 'America/New_York') AS taken_ny FROM readings;
SELECT * FROM readings_lisbon_ny EMIT CHANGES LIMIT 1;
DESCRIBE readings_lisbon_ny;`);
  const rows = tableRows(out);
  t.deepEqual(rows.slice(0, 2), [['CELSIUS', 'TAKEN_AT', 'ROWTIME'], ['21.5', '1700000000000', '1700000000000']]);
  // 2023-11-14T22:13:20 in Lisbon (UTC+0 in November) is 17:13:20 in New York; the cell wraps at 20 characters.
  t.deepEqual(rows.slice(2), [['CELSIUS', 'TAKEN_NY'], ['21.5', '2023-11-14T17:13:20.'], ['', '000']]);
  t.regex(out, /TAKEN_NY +\| TIMESTAMP/);
});

test.serial('deserialization errors: a record that is not JSON, or has a text for a BOOLEAN, lands in KSQL_PROCESSING_LOG with its bytes', async (t) => {
  const out = await shell(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM doors (door VARCHAR, open BOOLEAN) WITH (kafka_topic='doors', value_format='JSON', partitions=1);
CREATE STREAM doors_text (line VARCHAR) WITH (kafka_topic='doors', value_format='KAFKA');
CREATE STREAM open_doors AS SELECT door FROM doors WHERE open;
INSERT INTO doors_text (line) VALUES ('{"door": "d1", "open": true}');
INSERT INTO doors_text (line) VALUES ('{"door": "d2", "open": "perhaps"}');
INSERT INTO doors_text (line) VALUES ('no json here');
SELECT * FROM open_doors EMIT CHANGES LIMIT 1;`);
  t.deepEqual(tableRows(out), [['DOOR'], ['d1']]);
  // JSON output: one line per row, no cell wrapping.
  const log = await runShell(['--server', h.url, '--output', 'JSON', '-e', `SET 'auto.offset.reset' = 'earliest';
SELECT message->deserializationError->errorMessage AS error,
       FROM_BYTES(TO_BYTES(message->deserializationError->RECORDB64, 'base64'), 'utf8') AS record
  FROM KSQL_PROCESSING_LOG EMIT CHANGES LIMIT 2;`]);
  const rows = log.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { ERROR: string; RECORD: string });
  t.deepEqual(rows.map((r) => r.RECORD), ['{"door": "d2", "open": "perhaps"}', 'no json here']);
  t.true(rows.every((r) => r.ERROR.startsWith('Failed to deserialize value from topic: doors. ')), log.stdout);
  t.regex(rows[0]!.ERROR, /requiredType: BOOLEAN, path: \$\.OPEN$/);
});

test.serial('Connect-only steps without a Connect cluster: CREATE SOURCE CONNECTOR and SHOW CONNECTORS fail, naming the Connect URL', async (t) => {
  const create = await runShell(['--server', h.url, '-e', `CREATE SOURCE CONNECTOR IF NOT EXISTS pg_cities WITH (
  'connector.class' = 'io.confluent.connect.jdbc.JdbcSourceConnector',
  'connection.url' = 'jdbc:postgresql://db:5432/cities',
  'mode' = 'incrementing', 'incrementing.column.name' = 'city_id', 'topic.prefix' = 'pg_');`]);
  t.is(create.code, 1);
  t.regex(create.stderr, /Connect to http:\/\/localhost:8083 failed: Connection refused/);
  const show = await runShell(['--server', h.url, '-e', 'SHOW CONNECTORS;']);
  t.is(show.code, 1);
  t.regex(show.stderr, /Could not connect to the server/);
  // The table the tutorial declares over the connector's topic works without it.
  const table = await shell("CREATE TABLE pg_cities_t (city_id INT PRIMARY KEY, name VARCHAR) WITH (kafka_topic='pg_cities', value_format='JSON', partitions=1);");
  t.regex(table, /Table created/);
});

/**
 * reference/processing-log.md, as an operator follows it: a server started
 * with `ksql.logging.processing.stream.auto.create=true` lists the log's
 * stream (ksqlDB's default name KSQL_PROCESSING_LOG, over
 * `<service id>ksql_processing_log`), once, also after a restart; a record a
 * query cannot read shows up in it with the page's schema (message.type 0
 * and a deserializationError naming the topic); the page's own CREATE STREAM
 * over the topic reads the same entries. The log4j settings of the page are
 * Java's (README, "Differences").
 */
import test from 'ava';
import { runSqlOrThrow, startServer, stopServer, type Harness } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const properties = { 'ksql.logging.processing.stream.auto.create': 'true' };
let h: Harness;

test.before(async () => {
  h = await startServer(undefined, { properties });
});
test.after.always(async () => {
  await stopServer(h);
});

const PAGE_DDL = `CREATE STREAM PROCESSING_LOG_STREAM (
   LOGGER STRING,
   LEVEL STRING,
   \`TIME\` BIGINT,
   MESSAGE STRUCT<
       \`TYPE\` INTEGER,
       deserializationError STRUCT<
           target STRING,
           errorMessage STRING,
           recordB64 STRING,
           cause ARRAY<STRING>,
          \`topic\` STRING>,
       recordProcessingError STRUCT<
           errorMessage STRING,
           record STRING,
           cause ARRAY<STRING>>,
       productionError STRUCT<
           errorMessage STRING>,
       serializationError STRUCT<
           target STRING,
           errorMessage STRING,
           record STRING,
           cause ARRAY<STRING>,
          \`topic\` STRING>,
       kafkaStreamsError STRUCT<
           threadName STRING,
           errorMessage STRING,
           cause ARRAY<STRING>>>)
   WITH (KAFKA_TOPIC='default_ksql_processing_log', VALUE_FORMAT='JSON');`;

async function listStreams(): Promise<{ name: string; topic: string; keyFormat: string; valueFormat: string }[]> {
  const res = await runSqlOrThrow(h, 'LIST STREAMS;');
  return res.body[0].streams;
}

test.serial('the stream is there at start, once, and a bad record reaches it with the page\'s schema', async (t) => {
  t.deepEqual((await listStreams()).map((s) => [s.name, s.topic, s.keyFormat, s.valueFormat]),
    [['KSQL_PROCESSING_LOG', 'default_ksql_processing_log', 'KAFKA', 'JSON']]);
  const tutorial = new Tutorial(h);
  await tutorial.run(`
    CREATE STREAM pageviews (viewtime BIGINT, pageid VARCHAR) WITH (kafka_topic='pageviews', partitions=1, value_format='JSON');
    CREATE STREAM pageviews_raw (line VARCHAR) WITH (kafka_topic='pageviews', value_format='KAFKA');
    SET 'auto.offset.reset' = 'earliest';
    CREATE STREAM pageviews_copy AS SELECT * FROM pageviews;
    INSERT INTO pageviews_raw (line) VALUES ('not json');
  `);
  const [row] = (await tutorial.pull(
    'SELECT logger, level, message->type, message->deserializationError->target, message->deserializationError->`topic`, message->deserializationError->errorMessage FROM KSQL_PROCESSING_LOG EMIT CHANGES LIMIT 1;',
  )).rows;
  t.deepEqual(row!.slice(0, 5), ['processing.CSAS_PAGEVIEWS_COPY_0.KsqlTopic.Source.deserializer', 'ERROR', 0, 'value', 'pageviews']);
  t.regex(String(row![5]), /^Failed to deserialize value from topic: pageviews\./);

  await tutorial.run(PAGE_DDL);
  const [own] = (await tutorial.pull('SELECT message->deserializationError->`topic` FROM PROCESSING_LOG_STREAM EMIT CHANGES LIMIT 1;')).rows;
  t.deepEqual(own, ['pageviews']);
});

test.serial('a restart finds the stream and does not make another', async (t) => {
  await stopServer(h, false);
  h = await startServer(h.dataDir, { properties });
  t.deepEqual((await listStreams()).filter((s) => s.topic === 'default_ksql_processing_log').map((s) => s.name).sort(),
    ['KSQL_PROCESSING_LOG', 'PROCESSING_LOG_STREAM']);
});

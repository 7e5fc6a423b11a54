/**
 * developer-guide/ksqldb-reference/show-queries.md through the shell, as the
 * page shows it: a query reading the processing log stream, which the server
 * declares at start with `ksql.logging.processing.stream.auto.create` (as the
 * page's server does), with ksqlDB's schema of the log's records. The page's
 * RUNNING:2 and two hosts are its two-server cluster; its plan's columns are
 * an older layout (no SERIALIZATIONERROR, no backticks).
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { shellOutput } from '../cli/helpers.js';

const h = useServer({
  start: { properties: { 'ksql.logging.processing.stream.auto.create': 'true' } },
  statements: ["CREATE STREAM TEST WITH (KAFKA_TOPIC='TEST', PARTITIONS=1, REPLICAS=1) AS SELECT *FROM KSQL_PROCESSING_LOG KSQL_PROCESSING_LOG EMIT CHANGES;"],
});

const shell = (sql: string): Promise<string> => shellOutput(h.url, sql);

test.serial('show queries: the page\'s columns and its query over the processing log stream', async (t) => {
  const out = await shell('show queries;');
  t.regex(out, /^ Query ID +\| Query Type +\| Status +\| Sink Name +\| Sink Kafka Topic +\| Query String +\n-+\n/);
  t.regex(out, /\n CSAS_TEST_0 \| PERSISTENT \| RUNNING:1 \| TEST {6}\| TEST {13}\| CREATE STREAM TEST WITH \(KAFKA_TOPIC='TEST', PARTITIONS=1, REPLICAS=1\) AS SELECT \*FROM KSQL_PROCESSING_LOG KSQL_PROCESSING_LOG EMIT CHANGES; \n-+\nFor detailed information on a Query run: EXPLAIN <Query ID>;\n/);
});

test.serial('show queries extended: the log\'s fields, sources, sinks, plan and topology', async (t) => {
  const out = await shell('show queries extended;');
  t.regex(out, /^ID {19}: CSAS_TEST_0\nQuery Type {11}: PERSISTENT\nSQL {18}: CREATE STREAM TEST WITH/);
  t.regex(out, /\n LOGGER +\| VARCHAR\(STRING\) +\n LEVEL +\| VARCHAR\(STRING\) +\n TIME +\| BIGINT +\n MESSAGE \| STRUCT<TYPE INTEGER, DESERIALIZATIONERROR STRUCT<TARGET VARCHAR\(STRING\), ERRORMESSAGE VARCHAR\(STRING\), RECORDB64 VARCHAR\(STRING\), CAUSE ARRAY<VARCHAR\(STRING\)>, topic VARCHAR\(STRING\)>, RECORDPROCESSINGERROR STRUCT<ERRORMESSAGE VARCHAR\(STRING\), RECORD VARCHAR\(STRING\), CAUSE ARRAY<VARCHAR\(STRING\)>>, PRODUCTIONERROR STRUCT<ERRORMESSAGE VARCHAR\(STRING\)>, /);
  t.regex(out, /\nSources that this query reads from: \n-+\nKSQL_PROCESSING_LOG\n/);
  t.regex(out, /\nSinks that this query writes to: \n-+\nTEST\n/);
  t.regex(out, /\n > \[ SINK \] \| Schema: `LOGGER` STRING, `LEVEL` STRING, `TIME` BIGINT, `MESSAGE` STRUCT<`TYPE` INTEGER, .* \| Logger: CSAS_TEST_0\.TEST\n/);
  t.regex(out, /\n {4}Source: KSTREAM-SOURCE-0000000000 \(topics: \[default_ksql_processing_log\]\)\n/);
});

test.serial('the processing log stream reads the records of bad input', async (t) => {
  await shell("CREATE STREAM NUMS (V INT) WITH (KAFKA_TOPIC='nums', PARTITIONS=1, VALUE_FORMAT='JSON'); CREATE STREAM NUMS_COPY AS SELECT * FROM NUMS; CREATE STREAM WORDS (V VARCHAR) WITH (KAFKA_TOPIC='nums', VALUE_FORMAT='JSON'); INSERT INTO WORDS (V) VALUES ('x');");
  const out = await shell("SET 'auto.offset.reset'='earliest'; SELECT MESSAGE->TYPE, MESSAGE->DESERIALIZATIONERROR->`topic` FROM KSQL_PROCESSING_LOG EMIT CHANGES LIMIT 1;");
  t.regex(out, /\n\|0 +\|nums +\|\n/);
});

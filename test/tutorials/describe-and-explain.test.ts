/**
 * developer-guide/ksqldb-reference/describe.md and explain.md, through the
 * shell as the pages show them: the IP_SUM table of their examples, then
 * DESCRIBE [EXTENDED], DESCRIBE TABLES and EXPLAIN. The shell prints them as
 * ksqlDB's CLI does: `%-20s : %s` property lines, a key's type padded to 16
 * characters before "(primary key)", and a windowed key naming its window
 * type. The pages' query id (CTAS_IP_SUM) is from an older ksqlDB: ids carry
 * a counter now (CTAS_IP_SUM_0), and their runtime statistics differ.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { runShell, shellOutput } from '../cli/helpers.js';

const h = useServer({
  statements: [
    "CREATE STREAM CLICKSTREAM (_TIME BIGINT, TIME VARCHAR, IP VARCHAR, REQUEST VARCHAR, STATUS INT, USERID INT, BYTES BIGINT, AGENT VARCHAR) WITH (kafka_topic='clickstream', partitions=1, value_format='json');",
    'CREATE TABLE IP_SUM as SELECT ip,  sum(bytes)/1024 as kbytes FROM CLICKSTREAM window SESSION (300 second) GROUP BY ip EMIT CHANGES;',
  ],
});

const shell = (sql: string): Promise<string> => shellOutput(h.url, sql);

test('DESCRIBE ip_sum: the fields, the key padded and naming its window type', async (t) => {
  const out = await shell('DESCRIBE ip_sum;');
  t.regex(out, /^Name {17}: IP_SUM\n Field +\| Type +\n-+\n IP +\| VARCHAR\(STRING\)  \(primary key\) \(Window type: SESSION\) *\n KBYTES +\| BIGINT +\n-+\n/);
  t.regex(out, /For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;/);
});

test('DESCRIBE ip_sum EXTENDED and DESCRIBE TABLES EXTENDED: the page\'s property lines and the writing query', async (t) => {
  for (const sql of ['DESCRIBE ip_sum EXTENDED;', 'DESCRIBE TABLES EXTENDED;']) {
    const out = await shell(sql);
    t.regex(out, /^Name {17}: IP_SUM\nType {17}: TABLE\nTimestamp field {6}: Not set - using <ROWTIME>\nKey format {11}: KAFKA\nValue format {9}: JSON\nKafka topic {10}: IP_SUM \(partitions: 1, replication: 1\)\nStatement {12}: CREATE TABLE IP_SUM/);
    t.regex(out, /\nQueries that write from this TABLE\n-{35}\nCTAS_IP_SUM_0 \(RUNNING\) : CREATE TABLE IP_SUM as SELECT ip, {2}sum\(bytes\)\/1024 as kbytes FROM CLICKSTREAM window SESSION \(300 second\) GROUP BY ip EMIT CHANGES;\n\nFor query topology and execution plan please run: EXPLAIN <QueryId>\n/);
    t.regex(out, /\nLocal runtime statistics\n-{24}\n/);
  }
});

test('EXPLAIN: the query\'s properties, schema, sources, sinks, plan and topology', async (t) => {
  t.regex((await runShell(['--server', h.url, '-e', 'EXPLAIN ctas_ip_sum;'])).stderr,
    /Query with id:CTAS_IP_SUM does not exist, use SHOW QUERIES to view the full set of queries\./);
  const out = await shell('EXPLAIN CTAS_IP_SUM_0;');
  t.regex(out, /^ID {19}: CTAS_IP_SUM_0\nQuery Type {11}: PERSISTENT\nSQL {18}: CREATE TABLE IP_SUM as SELECT .*\nHost Query Status {4}: \{127\.0\.0\.1:\d+=RUNNING\}\n\n Field/);
  t.regex(out, / IP +\| VARCHAR\(STRING\)  \(key\) \(Window type: SESSION\) /);
  t.regex(out, /\nSources that this query reads from: \n-{35}\nCLICKSTREAM\n\nFor source description please run: DESCRIBE \[EXTENDED\] <SourceId>\n/);
  t.regex(out, /\nSinks that this query writes to: \n-{35}\nIP_SUM\n\nFor sink description please run: DESCRIBE \[EXTENDED\] <SinkId>\n/);
  t.regex(out, /\nExecution plan\n-{14}\n > \[ SINK \]/);
  t.regex(out, /\nProcessing topology\n-{19}\nTopologies:\n/);
  // Nothing was overridden for this query: ksqlDB's CLI then prints no such section.
  t.notRegex(out, /Overridden Properties/);
});

import test from 'ava';
import { completeLine, NameCatalog } from '../../src/cli/completion.js';
import { formatSchema, renderEntity } from '../../src/cli/render-entity.js';
import { pointAt, renderError } from '../../src/cli/render-error.js';
import { renderTable } from '../../src/cli/render-table.js';

test('tables have a header, a rule under it and a rule under the last row', (t) => {
  t.is(renderTable(['Name', 'Topic'], [['A', 'a-topic']]), [
    ' Name | Topic   ',
    '----------------',
    ' A    | a-topic ',
    '----------------',
  ].join('\n'));
});

test('a status entity shows its message in a one-column table', (t) => {
  const text = renderEntity({ '@type': 'currentStatus', commandStatus: { status: 'SUCCESS', message: 'Stream created' }, warnings: [{ message: 'careful' }] });
  t.is(text, ' Message        \n----------------\n Stream created \n----------------\nWARNING: careful');
});

test('types are named as the ksql CLI names them', (t) => {
  t.is(formatSchema({ type: 'STRING', fields: null, memberSchema: null }), 'VARCHAR(STRING)');
  t.is(formatSchema({ type: 'MAP', fields: null, memberSchema: { type: 'ARRAY', fields: null, memberSchema: { type: 'INTEGER', fields: null, memberSchema: null } } }),
    'MAP<STRING, ARRAY<INTEGER>>');
  t.is(formatSchema({ type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: 4, scale: 2 } }), 'DECIMAL(4, 2)');
  t.is(formatSchema({ type: 'STRUCT', fields: [{ name: 'A', schema: { type: 'BIGINT', fields: null, memberSchema: null } }], memberSchema: null }), 'STRUCT<A BIGINT>');
});

test('a syntax error without a drawn caret gets one under its line and column', (t) => {
  const error = { '@type': 'statement_error', error_code: 40001, message: "line 2:3: Syntax Error\nmismatched input 'FORM'" };
  t.is(renderError(error, 'SELECT *\n  FORM x;'), "line 2:3: Syntax Error\nmismatched input 'FORM'\n  FORM x;\n  ^");
  t.is(pointAt('abc', 1, 1), 'abc\n^');
});

test('an error that already draws its caret, or has no position, is shown as it is', (t) => {
  const drawn = 'line 1:1: Syntax Error\nSELEC 1;\n^';
  t.is(renderError({ '@type': 'statement_error', error_code: 40001, message: drawn }, 'SELEC 1;'), drawn);
  t.is(renderError({ '@type': 'statement_error', error_code: 40001, message: 'Stream X does not exist.' }, 'DROP STREAM X;'), 'Stream X does not exist.');
});

test('completion extends the last word with keywords, in the case it was typed', (t) => {
  const catalog = new NameCatalog();
  t.deepEqual(completeLine(catalog, 'SHOW STRE'), [['STREAM', 'STREAMS'], 'STRE']);
  t.deepEqual(completeLine(catalog, 'show stre'), [['stream', 'streams'], 'stre']);
  t.deepEqual(completeLine(catalog, 'SHOW '), [[], '']);
});

test('a query description lists the errors that put the query in ERROR', (t) => {
  const text = renderEntity({
    '@type': 'queryDescription',
    queryDescription: {
      id: 'CSAS_OUT_0', queryType: 'PERSISTENT', statementText: 'CREATE STREAM OUT AS SELECT * FROM S;', ksqlHostQueryStatus: { 'localhost:8088': 'ERROR' },
      fields: [], sources: ['S'], sinks: ['OUT'], executionPlan: '', topology: '', overriddenProperties: {}, state: 'ERROR',
      queryErrors: [{ timestamp: 0, errorMessage: 'BrokerError: Corrupt record batch', type: 'SYSTEM' }],
    },
  });
  t.true(text.endsWith([
    '',
    'Error Date           : 1970-01-01T00:00:00.000Z',
    'Error Details        : BrokerError: Corrupt record batch',
    'Error Type           : SYSTEM',
  ].join('\n')), text);
});

test('SHOW TOPICS EXTENDED adds the consumer and consumer group counts, as the ksql CLI shows them', (t) => {
  const text = renderEntity({ '@type': 'kafka_topics_extended', topics: [{ name: 'clicks', replicaInfo: [1, 1], consumerCount: 3, consumerGroupCount: 2 }], warnings: [] });
  t.regex(text, /^ Kafka Topic \| Partitions \| Partition Replicas \| Consumers \| ConsumerGroups \n/);
  t.regex(text, /\n clicks +\| 2 +\| 1,1 +\| 3 +\| 2 +\n/);
});

const SOURCE = {
  name: 'CLICKS', windowType: null, readQueries: [], writeQueries: [], fields: [], type: 'STREAM', timestamp: '', extended: true,
  keyFormat: 'KAFKA', valueFormat: 'JSON', topic: 'clicks', partitions: 2, replication: 1, statement: 'CREATE STREAM CLICKS ...;',
  sourceConstraints: [],
};

test('DESCRIBE EXTENDED shows the statistics per host in a table, and the writers\' consumer groups with their lag', (t) => {
  const text = renderEntity({
    '@type': 'sourceDescription',
    sourceDescription: {
      ...SOURCE,
      statistics: 'consumer-messages-per-sec: 0.05 ...', errorStats: '',
      clusterStatistics: [
        { name: 'consumer-total-messages', host: 'localhost:8088', value: 5, timestamp: 1_500 },
        { name: 'consumer-messages-per-sec', host: 'localhost:8088', value: 0.05, timestamp: 1_500 },
      ],
      clusterErrorStats: [{ name: 'consumer-failed-messages', host: 'localhost:8088', value: 1, timestamp: 0 }],
      queryOffsetSummaries: [{
        groupId: '_confluent-ksql-default_query_CSAS_X_0',
        topicSummaries: [{ kafkaTopic: 'clicks', offsets: [
          { partition: 0, logStartOffset: 0, logEndOffset: 7, consumerOffset: 4 },
          { partition: 1, logStartOffset: 2, logEndOffset: 3, consumerOffset: 3 },
        ] }],
      }],
    },
  });
  t.regex(text, /\nRuntime statistics by host\n-------------------------\n Host +\| Metric +\| Value +\| Last Message +\n/);
  const rows = text.split('\n').filter((line) => line.startsWith(' localhost:8088'));
  t.deepEqual(rows.map((line) => line.split('|').map((cell) => cell.trim())), [
    ['localhost:8088', 'consumer-failed-messages', '1', 'n/a'],
    ['localhost:8088', 'consumer-messages-per-sec', '0', '1970-01-01T00:00:01.5Z'],
    ['localhost:8088', 'consumer-total-messages', '5', '1970-01-01T00:00:01.5Z'],
  ]);
  t.regex(text, /\n\(Statistics of the local KSQL server interaction with the Kafka topic clicks\)\n\nConsumer Groups summary:\n\nConsumer Group {7}: _confluent-ksql-default_query_CSAS_X_0\n\nKafka topic +: clicks\nMax lag +: 3\n\n Partition \| Start Offset \| End Offset \| Offset \| Lag \n/);
  t.regex(text, /\n 0 +\| 0 +\| 7 +\| 4 +\| 3 +\n/);
});

test('without per-host statistics DESCRIBE EXTENDED prints the two local statistics lines', (t) => {
  const text = renderEntity({
    '@type': 'sourceDescription',
    sourceDescription: { ...SOURCE, statistics: 'total-messages: 3', errorStats: 'consumer-failed-messages: 1', clusterStatistics: [], clusterErrorStats: [], queryOffsetSummaries: [] },
  });
  t.regex(text, /\nLocal runtime statistics\n------------------------\ntotal-messages: 3\nconsumer-failed-messages: 1\n\(Statistics of the local KSQL server/);
  t.notRegex(text, /Consumer Groups summary/);
});

test('SHOW QUERIES EXTENDED shows each query as EXPLAIN does, with its own statistics', (t) => {
  const query = (id: string): Record<string, unknown> => ({
    id, queryType: 'PERSISTENT', statementText: `CREATE STREAM ${id} AS SELECT * FROM S;`, ksqlHostQueryStatus: { 'localhost:8088': 'RUNNING' },
    fields: [], sources: ['S'], sinks: [id], executionPlan: 'plan', topology: 'topology', overriddenProperties: {}, state: 'RUNNING', queryErrors: [],
    statistics: `total-messages: ${id.length}`, errorStats: '',
  });
  const text = renderEntity({ '@type': 'queryDescriptionList', queryDescriptions: [query('A'), query('BB')], warnings: [] });
  t.regex(text, /^ID +: A\n[\s\S]*\nLocal runtime statistics\n-+\ntotal-messages: 1\n\nExecution plan\n[\s\S]*\n\nID +: BB\n[\s\S]*total-messages: 2\n/);
});

test('ASSERT SCHEMA results name the subject and id given', (t) => {
  t.is(renderEntity({ '@type': 'assert_schema', subject: 's-value', id: 3, exists: true, warnings: [] }), 'Schema with subject s-value id 3 exists.');
  t.is(renderEntity({ '@type': 'assert_schema', subject: null, id: 7, exists: false, warnings: [] }), 'Schema with id 7 does not exist.');
});

test('a warning entity prints its message', (t) => {
  t.is(renderEntity({ '@type': 'warning_entity', statementText: 'UNDEFINE nope;', message: "Cannot undefine variable 'nope' which was never defined", warnings: [] }),
    "Cannot undefine variable 'nope' which was never defined");
});

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
    'Error Date    : 1970-01-01T00:00:00.000Z',
    'Error Details : BrokerError: Corrupt record batch',
    'Error Type    : SYSTEM',
  ].join('\n')), text);
});

test('SHOW TOPICS EXTENDED adds the consumer and consumer group counts, as the ksql CLI shows them', (t) => {
  const text = renderEntity({ '@type': 'kafka_topics_extended', topics: [{ name: 'clicks', replicaInfo: [1, 1], consumerCount: 3, consumerGroupCount: 2 }], warnings: [] });
  t.regex(text, /^ Kafka Topic \| Partitions \| Partition Replicas \| Consumers \| ConsumerGroups \n/);
  t.regex(text, /\n clicks +\| 2 +\| 1,1 +\| 3 +\| 2 +\n/);
});

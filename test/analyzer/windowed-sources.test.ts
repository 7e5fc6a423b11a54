import test from 'ava';
import { analyzeQuery } from '../../src/analyzer/query-analyzer.js';
import type { AnalysisContext } from '../../src/analyzer/analysis-context.js';
import type { SourceInfo } from '../../src/analyzer/analyzed-source.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { parseStatements } from '../../src/parser/index.js';
import { withTempEngine } from '../helpers/temp-engine.js';
import { TestDriver } from '../../src/testing/test-driver.js';
import type { Query } from '../../src/parser/ast/query.js';

const schema: SourceInfo['schema'] = {
  key: [{ name: 'K', type: { kind: 'INTEGER' }, namespace: 'KEY' }],
  value: [{ name: 'V', type: { kind: 'INTEGER' }, namespace: 'VALUE' }],
};
const sources: Record<string, SourceInfo> = {
  S: { name: 'S', kind: 'STREAM', windowed: false, schema },
  T: { name: 'T', kind: 'TABLE', windowed: false, schema },
  WS: { name: 'WS', kind: 'STREAM', windowed: true, windowType: 'TUMBLING', windowSizeMs: 1000, schema },
  WT: { name: 'WT', kind: 'TABLE', windowed: true, windowType: 'SESSION', schema },
};

function analyze(sql: string, persistent = true): void {
  const [statement] = parseStatements(sql);
  const query = statement?.kind === 'CreateStreamAsSelect' || statement?.kind === 'CreateTableAsSelect' || statement?.kind === 'QueryStatement' ? statement.query : undefined;
  if (query === undefined) throw new Error('not a query');
  const context: AnalysisContext = { lookupSource: (n) => sources[n], lookupType: () => undefined, functions: createFunctionRegistry(), sinkName: persistent ? 'OUT' : undefined };
  analyzeQuery(query as Query, context);
}

test('a WINDOW without GROUP BY or aggregate call is refused at the place of the window', (t) => {
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM S WINDOW TUMBLING (SIZE 30 SECONDS);'),
    { message: 'Line: 1, Col: 45: WINDOW clause requires a GROUP BY clause.' });
});

test('a persistent query may not read a windowed table, alone or in a join; a transient one may', (t) => {
  const message = 'KSQL does not support persistent queries on windowed tables.';
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT * FROM WT;'), { message });
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT K, COUNT(*) AS C FROM WT GROUP BY K;'), { message });
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM WS JOIN WT ON WS.K = WT.K;'), { message });
  t.notThrows(() => analyze('SELECT * FROM WT EMIT CHANGES;', false));
  t.notThrows(() => analyze('CREATE STREAM OUT AS SELECT * FROM WS;'));
});

test('PARTITION BY on a windowed stream is refused unless it keeps the key', (t) => {
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM WS PARTITION BY V;'), { message: /^Implicit repartitioning of windowed sources is not supported\./ });
  t.notThrows(() => analyze('CREATE STREAM OUT AS SELECT * FROM WS PARTITION BY K;'));
});

test('windows of size zero, an advance of zero or beyond the size, and a session gap of zero are refused as Kafka Streams refuses them', (t) => {
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 0 SECONDS) GROUP BY K;'),
    { message: /Window size \(sizeMs\) must be larger than zero\./ });
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT K, COUNT(*) AS C FROM S WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 0 SECONDS) GROUP BY K;'),
    { message: /Window advancement interval should be more than zero and less than window duration which is 10000 ms, but given advancement interval is: 0 ms/ });
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT K, COUNT(*) AS C FROM S WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 11 SECONDS) GROUP BY K;'),
    { message: /given advancement interval is: 11000 ms/ });
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT K, COUNT(*) AS C FROM S WINDOW SESSION (0 SECONDS) GROUP BY K;'),
    { message: /Gap time cannot be zero or negative\./ });
  t.notThrows(() => analyze('CREATE TABLE OUT AS SELECT K, COUNT(*) AS C FROM S WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 10 SECONDS) GROUP BY K;'));
});

test('window bounds in the SELECT of a windowed aggregation over a join cannot be resolved, as in ksqlDB', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(`CREATE STREAM A (ID VARCHAR, COL1 VARCHAR) WITH (KAFKA_TOPIC='a', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE TABLE B (ID VARCHAR PRIMARY KEY, COL1 VARCHAR) WITH (KAFKA_TOPIC='b', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    t.throws(() => engine.execute('CREATE TABLE C AS SELECT A.ID, COUNT(*), WINDOWSTART AS WSTART FROM A JOIN B ON A.ID = B.ID WINDOW TUMBLING (SIZE 10 MILLISECONDS) GROUP BY A.ID;'),
      { message: /SELECT column 'WINDOWSTART' cannot be resolved\./ });
  });
});

test('a windowed source aggregated without a WINDOW clause passes its rows\' bounds to aggregate functions; outside them they are columns GROUP BY must name', (t) => {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='10 SECONDS');
      CREATE TABLE A AS SELECT ID, MIN(WINDOWSTART) AS M, MAX(WINDOWEND) AS X FROM S GROUP BY ID HAVING MAX(WINDOWEND) > 0;`);
    driver.pipe({ topic: 's', key: '1', value: '{"V":1}', timestamp: 100, headers: [], window: { start: 10000, end: 20000, type: 'time' } });
    t.deepEqual(driver.read('A').map((r) => r.value), ['{"M":10000,"X":20000}']);
    t.throws(() => driver.execute('CREATE TABLE B AS SELECT ID, COUNT(*) AS C FROM S GROUP BY ID HAVING WINDOWSTART > 5;'),
      { message: /^Non-aggregate HAVING expression not part of GROUP BY: WINDOWSTART\n/ });
    t.throws(() => driver.execute('CREATE TABLE B AS SELECT ID, WINDOWEND AS W, COUNT(*) AS C FROM S GROUP BY ID;'),
      { message: /^Non-aggregate SELECT expression\(s\) not part of GROUP BY: WINDOWEND\n/ });
  } finally {
    driver.close();
  }
  // With a WINDOW clause the bounds are the new windows', known only to the SELECT.
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT K, MIN(WINDOWSTART) AS M FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;'),
    { message: 'Window bounds column WINDOWSTART can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.\nSee https://github.com/confluentinc/ksql/issues/4397' });
});

test('EMIT FINAL with ksql.suppress.enabled off is refused with ksqlDB\'s message, before the check that it needs a windowed aggregation', (t) => {
  const driver = new TestDriver({ 'ksql.suppress.enabled': false });
  try {
    driver.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    const disabled = 'Suppression is currently disabled. You can enable it by setting ksql.suppress.enabled to true';
    t.throws(() => driver.execute('CREATE TABLE A AS SELECT ID, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID EMIT FINAL;'), { message: disabled });
    t.throws(() => driver.execute('INSERT INTO S SELECT * FROM S EMIT FINAL;'), { message: disabled });
    t.notThrows(() => driver.execute('CREATE TABLE B AS SELECT ID, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;'));
  } finally {
    driver.close();
  }
});

test('a table is aggregated without windows: a WINDOW clause over a table source is refused before its functions are checked', (t) => {
  const message = 'Windowing not supported for table aggregations.';
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT V, COUNT(*) AS C FROM T WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY V;'), { message });
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT V, EARLIEST_BY_OFFSET(K) AS C FROM T WINDOW SESSION (1 SECOND) GROUP BY V;'), { message });
  t.notThrows(() => analyze('CREATE TABLE OUT AS SELECT V, COUNT(*) AS C FROM T GROUP BY V;'));
});

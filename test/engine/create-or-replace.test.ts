import test from 'ava';
import { newSession } from '../../src/engine/session.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine, withTempEngine, type EngineNode } from '../helpers/temp-engine.js';
import { readValues } from '../helpers/read-topic.js';

const S = "CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');";

function insert(node: EngineNode, ...values: number[]): void {
  for (const v of values) node.engine.execute(`INSERT INTO S (K, V) VALUES ('a', ${v});`);
  node.scheduler.runUntilIdle();
}

function queryIds(node: EngineNode): string[] {
  return node.engine.listQueries().map((q) => q.id);
}

const COUNT = 'TABLE C AS SELECT K, COUNT(*) AS N, SUM(V) AS T FROM S';

test('a compatible replace keeps the query id, its offsets and its state, also across a restart', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(`${S} CREATE ${COUNT} GROUP BY K;`);
    insert(node, 1, 2, 3);
    t.is(readValues(node.broker, 'C').at(-1), '{"N":3,"T":6}');

    node.engine.execute(`CREATE OR REPLACE ${COUNT} WHERE V > 1 GROUP BY K;`);
    t.deepEqual(queryIds(node), ['CTAS_C_0']);
    insert(node, 4, 0);
    // The count goes on from 3 (the record filtered out now does not count).
    t.is(readValues(node.broker, 'C').at(-1), '{"N":4,"T":10}');
    closeEngine(node);

    node = openEngine(dir);
    t.deepEqual(queryIds(node), ['CTAS_C_0']);
    t.regex(node.engine.getQuery('CTAS_C_0')!.statementText, /WHERE V > 1/);
    insert(node, 5);
    t.is(readValues(node.broker, 'C').at(-1), '{"N":5,"T":15}');
    // A new query after the replace takes the next number.
    node.engine.execute('CREATE STREAM D AS SELECT * FROM S;');
    t.deepEqual(queryIds(node), ['CTAS_C_0', 'CSAS_D_1']);
    closeEngine(node);
  });
});

test('a replace with auto.offset.reset=earliest does not emit what was already processed again', (t) => {
  withTempEngine((node) => {
    const session = newSession({ 'auto.offset.reset': 'earliest' });
    node.engine.execute(`${S} CREATE STREAM S2 AS SELECT K, V FROM S;`, session);
    insert(node, 1, 2);
    node.engine.execute('CREATE OR REPLACE STREAM S2 AS SELECT K, V, V * 10 AS W FROM S;', session);
    insert(node, 3);
    t.deepEqual(readValues(node.broker, 'S2'), ['{"V":1}', '{"V":2}', '{"V":3,"W":30}']);
    t.deepEqual(node.engine.metastore.getSource('S2')!.schema.value.map((c) => c.name), ['V', 'W']);
  });
});

test('an incompatible sink schema is refused with ksqlDB\'s message and the old query keeps running', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(`${S} CREATE STREAM S2 AS SELECT K, V, V AS W FROM S;`);
    insert(node, 1);
    const prefix = "Cannot upgrade data source: DataSource '`S2`' has schema = `K` STRING KEY, `V` INTEGER, `W` INTEGER which is not upgradeable to ";
    t.throws(() => node.engine.execute('CREATE OR REPLACE STREAM S2 AS SELECT K, V FROM S;'), {
      message: `${prefix}\`K\` STRING KEY, \`V\` INTEGER. (The following columns are changed, missing or reordered: [\`W\` INTEGER])`,
    });
    t.throws(() => node.engine.execute('CREATE OR REPLACE STREAM S2 AS SELECT K, V, CAST(V AS BIGINT) AS W FROM S;'), {
      message: `${prefix}\`K\` STRING KEY, \`V\` INTEGER, \`W\` BIGINT. (The following columns are changed, missing or reordered: [\`W\` INTEGER])`,
    });
    t.throws(() => node.engine.execute('CREATE OR REPLACE STREAM S2 AS SELECT K, V AS W, V FROM S;'), {
      message: /\(The following columns are changed, missing or reordered: \[`V` INTEGER, `W` INTEGER\]\)$/,
    });
    t.throws(() => node.engine.execute('CREATE OR REPLACE STREAM S2 AS SELECT K AS K2, V, V AS W FROM S;'), {
      message: /\(Key columns must be identical\. The following key columns are changed, missing or reordered: \[`K` STRING KEY\]\)$/,
    });
    t.throws(() => node.engine.execute("CREATE OR REPLACE STREAM S2 WITH (VALUE_FORMAT='DELIMITED') AS SELECT K, V, V AS W FROM S;"), {
      message: /^Cannot upgrade data source: DataSource '`S2`' has topic = /,
    });
    insert(node, 2);
    t.deepEqual(readValues(node.broker, 'S2'), ['{"V":1,"W":1}', '{"V":2,"W":2}']);
    t.deepEqual(queryIds(node), ['CSAS_S2_0']);
    closeEngine(node);

    node = openEngine(dir);
    t.deepEqual(queryIds(node), ['CSAS_S2_0']);
    t.deepEqual(node.engine.metastore.getSource('S2')!.schema.value.map((c) => c.name), ['V', 'W']);
    closeEngine(node);
  });
});

test('a query of another shape is refused with ksqlDB\'s message and the old query keeps running', (t) => {
  withTempEngine((node) => {
    node.engine.execute(`${S} CREATE STREAM T (K STRING KEY, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    node.engine.execute('CREATE STREAM S2 AS SELECT K, V FROM S;');
    t.throws(() => node.engine.execute('CREATE OR REPLACE STREAM S2 AS SELECT K, V FROM T;'), {
      message: 'Query is not upgradeable. Plan step of type StreamSource must have matching topicName. Values differ: s vs. t',
    });
    node.engine.execute(`CREATE ${COUNT} GROUP BY K;`);
    t.throws(() => node.engine.execute(`CREATE OR REPLACE ${COUNT} WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY K;`));
    t.throws(() => node.engine.execute('CREATE OR REPLACE TABLE C AS SELECT K, COUNT(*) AS N, SUM(V) AS T, MAX(V) AS M FROM S GROUP BY K;'), {
      message: /^Query is not upgradeable\. Plan step of type StreamAggregate must have matching aggregate functions\./,
    });
    node.engine.execute('CREATE STREAM J AS SELECT S.K AS K, S.V AS V FROM S JOIN T WITHIN 1 MINUTE ON S.K = T.K;');
    t.throws(() => node.engine.execute('CREATE OR REPLACE STREAM J AS SELECT S.K AS K, S.V AS V FROM S JOIN T WITHIN 1 MINUTE ON S.K = T.K WHERE S.V > 0;'), {
      message: 'Upgrades not yet supported for StreamStreamJoin',
    });
    t.deepEqual(queryIds(node), ['CSAS_S2_0', 'CTAS_C_1', 'CSAS_J_2']);
    insert(node, 7);
    t.deepEqual(readValues(node.broker, 'S2'), ['{"V":7}']);
  });
});

test('a replace that fails on its topic leaves the old writer running', (t) => {
  withTempEngine((node) => {
    node.engine.execute(`${S} CREATE STREAM S2 AS SELECT K, V FROM S;`);
    t.throws(() => node.engine.execute('CREATE OR REPLACE STREAM S2 WITH (PARTITIONS=3) AS SELECT K, V FROM S;'), {
      message: /KSQL requires 3 partitions/,
    });
    t.deepEqual(queryIds(node), ['CSAS_S2_0']);
    insert(node, 1);
    t.deepEqual(readValues(node.broker, 'S2'), ['{"V":1}']);
  });
});

test('a replace of a sink that several queries write is refused', (t) => {
  withTempEngine((node) => {
    node.engine.execute(`${S} CREATE STREAM S2 AS SELECT K, V FROM S; INSERT INTO S2 SELECT K, V FROM S;`);
    t.throws(() => node.engine.execute('CREATE OR REPLACE STREAM S2 AS SELECT K, V FROM S WHERE V > 0;'), {
      message: 'REPLACE for sink `S2` is not supported because there are multiple queries writing into it: [CSAS_S2_0, INSERTQUERY_1]',
    });
    t.deepEqual(queryIds(node), ['CSAS_S2_0', 'INSERTQUERY_1']);
  });
});

test('with ksql.create.or.replace.enabled off a written sink cannot be replaced', (t) => {
  withTempEngine((node) => {
    node.engine.execute(`${S} CREATE STREAM S2 AS SELECT K, V FROM S;`);
    t.throws(() => node.engine.execute('CREATE OR REPLACE STREAM S2 AS SELECT K, V FROM S WHERE V > 0;'), {
      message: "Cannot add stream 'S2': A stream with the same name already exists",
    });
  }, { properties: { 'ksql.create.or.replace.enabled': false } });
});

test('CREATE OR REPLACE of a declared stream accepts added columns and refuses other changes', (t) => {
  withTempEngine((node) => {
    node.engine.execute(S);
    node.engine.execute("CREATE OR REPLACE STREAM S (K STRING KEY, V INT, W STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');");
    t.deepEqual(node.engine.metastore.getSource('S')!.schema.value.map((c) => c.name), ['V', 'W']);
    t.throws(() => node.engine.execute("CREATE OR REPLACE STREAM S (K STRING KEY, W STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"), {
      message: /^Cannot upgrade data source: DataSource '`S`' has schema = .* \(The following columns are changed, missing or reordered: \[`V` INTEGER, `W` STRING\]\)$/,
    });
    t.throws(() => node.engine.execute("CREATE OR REPLACE TABLE S (K STRING PRIMARY KEY, V INT, W STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"), {
      message: /^Cannot upgrade data source: DataSource '`S`' has type = KSTREAM which is not upgradeable to KTABLE/,
    });
  });
});

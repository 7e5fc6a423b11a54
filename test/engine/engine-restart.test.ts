import test from 'ava';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine } from '../helpers/temp-engine.js';
import { readValues } from '../helpers/read-topic.js';

test('a persistent query resumes after a restart and emits every output exactly once', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(
      "CREATE STREAM CLICKS (ID INT KEY, URL STRING, MS BIGINT) WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON');" +
      "CREATE STREAM SLOW AS SELECT ID, UCASE(URL) AS URL FROM CLICKS WHERE MS > 100;",
    );
    node.engine.execute("INSERT INTO CLICKS (ID, URL, MS) VALUES (1, 'a', 500); INSERT INTO CLICKS (ID, URL, MS) VALUES (2, 'b', 5);");
    node.scheduler.runUntilIdle();
    t.deepEqual(readValues(node.broker, 'SLOW'), ['{"URL":"A"}']);
    // Input that arrives while nothing runs is processed after the restart, once.
    node.engine.execute("INSERT INTO CLICKS (ID, URL, MS) VALUES (3, 'c', 900);");
    closeEngine(node);

    node = openEngine(dir);
    t.is(node.engine.listQueries().length, 1);
    t.truthy(node.engine.metastore.getSource('SLOW'));
    node.engine.execute("INSERT INTO CLICKS (ID, URL, MS) VALUES (4, 'd', 101);");
    node.scheduler.runUntilIdle();
    t.deepEqual(readValues(node.broker, 'SLOW'), ['{"URL":"A"}', '{"URL":"C"}', '{"URL":"D"}']);
    closeEngine(node);
  });
});

test('a dropped stream and a terminated query stay gone after a restart', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(
      "CREATE STREAM A (V STRING) WITH (KAFKA_TOPIC='a', PARTITIONS=2, VALUE_FORMAT='JSON');" +
      'CREATE STREAM B AS SELECT * FROM A; CREATE STREAM C AS SELECT * FROM A;',
    );
    const [b, c] = node.engine.listQueries().map((q) => q.id);
    t.is(b, 'CSAS_B_0');
    t.is(c, 'CSAS_C_1');
    node.engine.execute('DROP STREAM B DELETE TOPIC;');
    node.engine.execute(`TERMINATE ${c};`);
    closeEngine(node);

    node = openEngine(dir);
    t.deepEqual(node.engine.listQueries(), []);
    t.is(node.engine.metastore.getSource('B'), undefined);
    t.truthy(node.engine.metastore.getSource('C'));
    t.false(node.broker.hasTopic('B'));
    closeEngine(node);
  });
});

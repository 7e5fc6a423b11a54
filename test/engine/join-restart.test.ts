import test from 'ava';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine } from '../helpers/temp-engine.js';
import { readValues } from '../helpers/read-topic.js';

test('a stream-table join comes back from the command log after a restart with its table state and offsets', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(
      "CREATE STREAM ORDERS (ID INT KEY, ITEM STRING) WITH (KAFKA_TOPIC='orders', PARTITIONS=1, VALUE_FORMAT='JSON');" +
      "CREATE TABLE USERS (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='users', PARTITIONS=1, VALUE_FORMAT='JSON');" +
      'CREATE STREAM ENRICHED AS SELECT O.ID, ITEM, NAME FROM ORDERS O LEFT JOIN USERS U ON O.ID = U.ID;',
    );
    node.engine.execute("INSERT INTO USERS (ID, NAME) VALUES (1, 'ann');");
    node.scheduler.runUntilIdle();
    node.engine.execute("INSERT INTO ORDERS (ID, ITEM) VALUES (1, 'pen');");
    node.scheduler.runUntilIdle();
    // Input that arrives while nothing runs is processed after the restart, once.
    node.engine.execute("INSERT INTO ORDERS (ID, ITEM) VALUES (1, 'ink');");
    closeEngine(node);

    node = openEngine(dir);
    t.deepEqual(node.engine.listQueries().map((q) => q.id), ['CSAS_ENRICHED_0']);
    node.engine.execute("INSERT INTO ORDERS (ID, ITEM) VALUES (2, 'cup');");
    node.scheduler.runUntilIdle();
    t.deepEqual(readValues(node.broker, 'ENRICHED'), [
      '{"ITEM":"pen","NAME":"ann"}', '{"ITEM":"ink","NAME":"ann"}', '{"ITEM":"cup","NAME":null}',
    ]);
    closeEngine(node);
  });
});

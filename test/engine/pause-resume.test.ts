import test from 'ava';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine } from '../helpers/temp-engine.js';
import { readValues } from '../helpers/read-topic.js';

function message(entities: unknown[]): string {
  return (entities[0] as { commandStatus: { message: string } }).commandStatus.message;
}

test('PAUSE stops a query\'s processing, across a restart, until RESUME, which processes what came meanwhile once', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(
      "CREATE STREAM A (V STRING) WITH (KAFKA_TOPIC='a', PARTITIONS=1, VALUE_FORMAT='JSON');" +
      'CREATE STREAM B AS SELECT * FROM A; CREATE STREAM C AS SELECT * FROM A;',
    );
    node.engine.execute("INSERT INTO A (V) VALUES ('1');");
    node.scheduler.runUntilIdle();
    t.is(message(node.engine.execute('PAUSE CSAS_B_0;') as unknown[]), 'Query paused.');
    t.deepEqual(node.engine.listQueries().map((q) => q.state), ['PAUSED', 'RUNNING']);
    node.engine.execute("INSERT INTO A (V) VALUES ('2');");
    node.scheduler.runUntilIdle();
    t.deepEqual(readValues(node.broker, 'B'), ['{"V":"1"}']);
    t.deepEqual(readValues(node.broker, 'C'), ['{"V":"1"}', '{"V":"2"}']);
    closeEngine(node);

    node = openEngine(dir);
    t.deepEqual(node.engine.listQueries().map((q) => q.state), ['PAUSED', 'RUNNING']);
    node.scheduler.runUntilIdle();
    t.deepEqual(readValues(node.broker, 'B'), ['{"V":"1"}']);
    t.is(message(node.engine.execute('RESUME ALL;') as unknown[]), 'Query resumed.');
    node.scheduler.runUntilIdle();
    t.deepEqual(node.engine.listQueries().map((q) => q.state), ['RUNNING', 'RUNNING']);
    t.deepEqual(readValues(node.broker, 'B'), ['{"V":"1"}', '{"V":"2"}']);
    closeEngine(node);
  });
});

test('PAUSE of an unknown query is refused; a push query\'s id is accepted and changes nothing, as in ksqlDB', (t) => {
  withTempDir((dir) => {
    const node = openEngine(dir);
    t.throws(() => node.engine.execute('PAUSE CSAS_NOPE_0;'), { message: 'Unknown queryId: CSAS_NOPE_0' });
    t.throws(() => node.engine.execute('RESUME CSAS_NOPE_0;'), { message: 'Unknown queryId: CSAS_NOPE_0' });
    t.is(message(node.engine.execute('PAUSE transient_A_123;') as unknown[]), 'Query paused.');
    closeEngine(node);
  });
});

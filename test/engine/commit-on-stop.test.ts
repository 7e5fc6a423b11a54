import test from 'ava';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { KsqlConfig } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import { withTempDir } from '../helpers/temp-dir.js';

test('a graceful stop of the engine commits what the tasks processed since their last commit', (t) =>
  withTempDir(async (dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    // Small turns: after one, the task is in the middle of its backlog, with work not committed yet.
    const scheduler = new Scheduler({ batchSize: 5 });
    const engine = new KsqlEngine({ broker, scheduler, config: new KsqlConfig({ 'auto.offset.reset': 'earliest' }), functions: createFunctionRegistry() });
    try {
      engine.execute("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
      broker.append('s', Array.from({ length: 50 }, (_, i) => ({ key: null, value: Buffer.from(JSON.stringify({ V: i })), timestamp: i })));
      engine.execute('CREATE STREAM DOUBLED AS SELECT V * 2 AS W FROM S;');
      scheduler.runOnce();
      const [query] = engine.listQueries();
      const group = engine.queryGroup(query!.id);
      const processed = query!.tasks[0]!.processedOffsets[0]!.offset;
      t.log(`processed ${processed}, committed ${String(broker.committedOffset(group, 's', 0))} before the stop`);
      t.true(processed > 0 && processed < 50);
      await engine.commitAndStopQueries();
      t.is(broker.committedOffset(group, 's', 0), processed, 'the group committed where the task stopped');
      t.is(broker.latestOffset('DOUBLED', 0), processed, 'with the outputs of what it processed');
    } finally {
      engine.close();
      broker.close();
    }
  }));

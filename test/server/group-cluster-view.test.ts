/**
 * The cluster view built from the queries' group assignments, over an engine
 * whose group port the test drives: the owners of a table's partition are
 * those of the task of the sub-topology holding its store (after a
 * repartition, the second), a task being handed over, or not running yet
 * on the server it was given to, has no active host, and each host's activeStandbyPerQuery lists the partitions its tasks read.
 */
import test from 'ava';
import { brokerCommandTopic } from '../../src/broker/broker-command-topic.js';
import { brokerTopicStore } from '../../src/broker/broker-topic-store.js';
import { brokerTaskLog, openEmbeddedBroker } from '../../src/broker/index.js';
import { KsqlConfig } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import type { QueryGroupHandlers, QueryGroups, QueryTaskHosts } from '../../src/engine/query-groups.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import { groupClusterView } from '../../src/server/group-cluster-view.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';

const SELF = 'http://10.0.0.1:8088';
const OTHER = 'http://10.0.0.2:8088';

test('owners and activeStandbyPerQuery come from the task of the sub-topology that holds the table, as the group last assigned it', async (t) => {
  const dir = makeTempDir('ksqlite-group-view-');
  try {
    const broker = openEmbeddedBroker({ dataDir: dir });
    const handlers = new Map<string, QueryGroupHandlers>();
    const groups: QueryGroups = {
      join: async (group, _tasks, h) => {
        handlers.set(group, h);
        return { leave: async () => undefined };
      },
    };
    const config = new KsqlConfig({});
    const engine = new KsqlEngine({
      broker, config, functions: createFunctionRegistry(), scheduler: new Scheduler(),
      log: {
        topics: brokerTopicStore(broker),
        commandTopic: brokerCommandTopic(broker, `_confluent-ksql-${config.serviceId}_command_topic`),
        taskLog: brokerTaskLog(broker),
        queryGroups: groups,
      },
    });
    try {
      await engine.executeAsync("CREATE STREAM S (ID STRING KEY, G STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');");
      // Grouping by a value column repartitions: sub-topology 1 reads the repartition topic and holds the counts.
      await engine.executeAsync('CREATE TABLE COUNTS AS SELECT G, COUNT(*) AS N FROM S GROUP BY G;');
      const [query] = engine.listQueries();
      const queryId = query!.id;
      const view = groupClusterView(engine, { host: '10.0.0.1', port: 8088 });
      t.deepEqual(view.otherHosts(), [], 'no assignment yet: no other host');
      t.deepEqual(view.owners(queryId, 0), { active: undefined, standbys: [] });

      const hosts = new Map<string, QueryTaskHosts>([
        ['0_0', { active: SELF, standbys: [] }],
        ['0_1', { active: OTHER, standbys: [] }],
        ['1_0', { active: OTHER, standbys: [SELF] }],
        ['1_1', { active: null, standbys: [] }],
      ]);
      await handlers.get(engine.queryGroup(queryId))!.onAssignment({ active: ['0_0'], standby: ['1_0'], hosts });

      t.deepEqual(view.otherHosts(), [{ host: '10.0.0.2', port: 8088 }]);
      t.deepEqual(view.owners(queryId, 0), { active: { host: '10.0.0.2', port: 8088 }, standbys: [{ host: '10.0.0.1', port: 8088 }] },
        'partition 0 of the table is task 1_0');
      t.deepEqual(view.owners(queryId, 1), { active: undefined, standbys: [] }, 'a task being handed over has no active host');

      const repartition = `${engine.queryGroup(queryId)}-Aggregate-GroupBy-repartition`;
      const other = view.activeStandbyPerQuery({ host: '10.0.0.2', port: 8088 })[queryId]!;
      t.deepEqual(other.activePartitions, [{ topic: 's', partition: 1 }, { topic: repartition, partition: 0 }]);
      t.deepEqual(other.standByPartitions, []);
      const self = view.activeStandbyPerQuery({ host: '10.0.0.1', port: 8088 })[queryId]!;
      t.deepEqual(self.activePartitions, [{ topic: 's', partition: 0 }]);
      t.deepEqual(self.standByPartitions, [{ topic: repartition, partition: 0 }]);
      t.deepEqual(view.activeStandbyPerQuery({ host: '10.0.0.3', port: 8088 }), {}, 'a host running nothing has no entry');

      // Task 1_1 given to this server: until it runs here, what its store holds is not current, so it has no active host.
      const group = handlers.get(engine.queryGroup(queryId))!;
      const handover = new Map(hosts).set('1_1', { active: SELF, standbys: [] });
      await group.onAssignment({ active: ['0_0'], standby: ['1_0'], hosts: handover });
      t.deepEqual(view.owners(queryId, 1), { active: undefined, standbys: [] }, 'not running here yet');
      await group.onAssignment({ active: ['0_0', '1_1'], standby: ['1_0'], hosts: handover });
      t.deepEqual(view.owners(queryId, 1), { active: { host: '10.0.0.1', port: 8088 }, standbys: [] }, 'running here');
    } finally {
      engine.close();
      broker.close();
    }
  } finally {
    removeDir(dir);
  }
});

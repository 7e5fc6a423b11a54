/**
 * The Python Kafka clients Debian packages, unmodified, as group consumers of
 * the server's Kafka listener: kafka-python and confluent-kafka-python
 * (librdkafka). One member reads what was produced and commits; a second
 * joins and they split the partitions; it leaves and the first takes them all
 * back; every record is read once, and the group resumes from its commits.
 */
import test from 'ava';
import { PythonGroupMember, pythonClientMissing, type PythonClient } from '../helpers/python-group-member.js';
import { eventually } from './stream-helpers.js';
import { useServer } from './helpers.js';

const h = useServer({ start: { kafkaPort: 0 } });

function produce(topic: string, from: number, count: number): void {
  h.server.broker.append(topic, Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`key-${from + i}`), value: Buffer.from(`value-${from + i}`) })));
}

const values = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `value-${from + i}`).sort();

/** Whether `group`'s committed offsets reached every partition's log end. */
function allCommitted(topic: string, group: string): boolean {
  const { broker } = h.server;
  return broker.describeTopic(topic).partitions.every((p) => (broker.committedOffset(group, topic, p.partition) ?? 0) === p.logEndOffset);
}

for (const client of ['kafka-python', 'confluent-kafka'] as const satisfies readonly PythonClient[]) {
  const missing = pythonClientMissing(client);
  if (missing !== null) console.log(`skipping the ${client} group test: ${missing}`);
  (missing === null ? test.serial : test.serial.skip)(`${client} consumers in a group split the partitions through rebalances, read each record once and resume from their commits`, async (t) => {
    const topic = `${client}-topic`;
    const group = `${client}-group`;
    h.server.broker.createTopic(topic, { partitions: 4 });
    const port = h.server.kafka!.port;
    const running: PythonGroupMember[] = [];
    const start = (): PythonGroupMember => {
      const member = PythonGroupMember.start(client, port, topic, group);
      running.push(member);
      return member;
    };
    const stop = async (member: PythonGroupMember): Promise<void> => {
      running.splice(running.indexOf(member), 1);
      t.is(await member.stop(), 0, member.stderr);
    };
    try {
      produce(topic, 0, 30);
      const first = start();
      t.true(await eventually(() => first.values.length === 30 && allCommitted(topic, group), 20_000), `the only member reads and commits all: ${first.values.length} read; ${first.stderr}`);
      t.deepEqual(first.assigned, [0, 1, 2, 3]);

      const second = start();
      t.true(await eventually(() => second.assignments >= 1 && first.assignments >= 2 && first.assigned.length + second.assigned.length === 4, 20_000), 'a join rebalances the group');
      t.deepEqual([...first.assigned, ...second.assigned].sort(), [0, 1, 2, 3], 'each partition has one member');
      produce(topic, 30, 30);
      t.true(await eventually(() => first.values.length + second.values.length === 60 && allCommitted(topic, group), 20_000));
      t.true(second.values.length > 0, 'the second member took its share');

      await stop(second);
      t.true(await eventually(() => first.assigned.length === 4, 20_000), 'a leave rebalances the group back to one member');
      produce(topic, 60, 30);
      t.true(await eventually(() => first.values.length + second.values.length === 90 && allCommitted(topic, group), 20_000));
      await stop(first);
      t.deepEqual([...first.values, ...second.values].sort(), values(0, 90), 'every record read exactly once across the members');

      produce(topic, 90, 6);
      const resumed = start();
      t.true(await eventually(() => resumed.values.length >= 6 && allCommitted(topic, group), 20_000));
      await stop(resumed);
      t.deepEqual([...resumed.values].sort(), values(90, 6), 'the group resumed from its committed offsets');
    } finally {
      for (const member of running) await member.stop();
    }
  });
}

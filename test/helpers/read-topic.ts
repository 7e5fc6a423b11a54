/** Test helper: every record of a topic, straight from the log. */
import type { Broker, ConsumedRecord, EmbeddedBroker } from '../../src/broker/index.js';

/** Every record of `topic`, partition by partition, each partition in offset order. */
export function readTopic(broker: Broker, topic: string): ConsumedRecord[] {
  const out: ConsumedRecord[] = [];
  for (const { partition } of broker.describeTopic(topic).partitions) {
    const end = broker.latestOffset(topic, partition);
    for (let offset = broker.earliestOffset(topic, partition); offset < end; ) {
      const { records, nextOffset } = broker.fetch(topic, partition, offset, { maxRecords: 5000 });
      out.push(...records);
      offset = nextOffset;
    }
  }
  return out;
}

/** The values of a partition's records as text, in offset order (the tests' topics hold at most a few thousand). */
export function readValues(broker: EmbeddedBroker, topic: string, partition = 0): string[] {
  return broker.read(topic, partition, 0, { maxRecords: 10_000 }).map((r) => r.value!.toString());
}

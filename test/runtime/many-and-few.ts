import type { Broker } from '../../src/broker/broker.js';

/**
 * Topics `log`, `many` and `few` for the tests of a task reading two topics:
 * more records in `many` than one read takes, and `few` spread over the whole
 * time range, so a read runs out in the middle of the other topic's records.
 */
export function fillManyAndFew(broker: Broker): void {
  broker.createTopic('log', { partitions: 1 });
  broker.createTopic('many', { partitions: 1 });
  broker.createTopic('few', { partitions: 1 });
  for (let from = 0; from < 25_000; from += 5_000) {
    broker.append('many', Array.from({ length: 5_000 }, (_, i) => ({ key: null, value: Buffer.from('m'), timestamp: (from + i) * 2 })));
  }
  broker.append('few', Array.from({ length: 50 }, (_, i) => ({ key: null, value: Buffer.from('f'), timestamp: i * 1_000 + 1 })));
}

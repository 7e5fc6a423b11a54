/**
 * The input a task has committed: every record of a topic partition from
 * offset 0 up to the task's committed offset. A store that is a pure
 * function of those records (a source table's latest rows) can be rebuilt
 * from them exactly, as Kafka Streams restores a source table's store from
 * the table's own topic. Only whole input counts: when retention or
 * compaction has removed any record below the committed offset, reading
 * fails rather than rebuild something else.
 */
import type { Broker, ConsumedRecord } from '../broker/broker.js';
import { KsqlError } from '../common/errors.js';

/** A topic's committed records for one task, in offset order; throws when the topic no longer holds all of them. */
export type CommittedInput = (topic: string) => Iterable<ConsumedRecord>;

const PAGE_RECORDS = 10_000;

/** The committed input of the task of `group` on `partition`; use it only for a task that started reading at offset 0. */
export function committedInputOf(broker: Broker, group: string, partition: number): CommittedInput {
  return function* (topic) {
    const end = broker.committedOffset(group, topic, partition) ?? 0;
    if (end > 0 && broker.earliestOffset(topic, partition) > 0) throw incomplete(topic, partition, 0, end);
    let next = 0;
    while (next < end) {
      const { records } = broker.fetch(topic, partition, next, { maxRecords: PAGE_RECORDS });
      if (records.length === 0) throw incomplete(topic, partition, next, end);
      for (const record of records) {
        if (record.offset >= end) return;
        if (record.offset !== next) throw incomplete(topic, partition, next, end);
        yield record;
        next++;
      }
    }
  };
}

function incomplete(topic: string, partition: number, missing: number, end: number): KsqlError {
  return new KsqlError(
    'CORRUPT_DATA',
    `Topic '${topic}' partition ${partition} no longer holds every record below the committed offset ${end} (offset ${missing} is gone).`,
  );
}

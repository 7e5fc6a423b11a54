/**
 * The input a task has committed: every record of a topic partition from
 * offset 0 up to the task's committed offset. A store that is a pure
 * function of those records (a source table's latest rows) can be rebuilt
 * from them exactly, as Kafka Streams restores a source table's store from
 * the table's own topic. Only whole input counts: when retention or
 * compaction has removed any record below the committed offset, reading
 * fails rather than rebuild something else.
 *
 * The rebuild runs inside a record's processing, so it reads through a task
 * log that answers at once (the embedded log, which commits state with the
 * log). On a log that answers later the stores are restored from their
 * changelogs before the task starts instead (state-restore.ts).
 */
import type { ConsumedRecord } from '../broker/broker.js';
import type { TaskLog } from '../broker/task-log.js';
import { KsqlError } from '../common/errors.js';
import { isPromise, type MaybeAsync } from '../common/maybe-async.js';

/** A topic's committed records for one task, in offset order; throws when the topic no longer holds all of them. */
export type CommittedInput = (topic: string) => Iterable<ConsumedRecord>;

const PAGE_RECORDS = 10_000;

/** The committed input of the task of `group` on `partition`; use it only for a task that started reading at offset 0. */
export function committedInputOf(log: TaskLog, group: string, partition: number): CommittedInput {
  return function* (topic) {
    const end = now(log.committedOffset(group, topic, partition)) ?? 0;
    let next = 0;
    while (next < end) {
      // From offset 0 the log answers from its start: a first record past 0 says records are gone.
      const { records } = now(log.fetch(topic, partition, next, { maxRecords: PAGE_RECORDS }));
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

function now<T>(answer: MaybeAsync<T>): T {
  if (isPromise(answer)) throw new KsqlError('SERVER_ERROR', 'A task\'s committed input is read from a log that answers at once; this one answers later.');
  return answer;
}

function incomplete(topic: string, partition: number, missing: number, end: number): KsqlError {
  return new KsqlError(
    'CORRUPT_DATA',
    `Topic '${topic}' partition ${partition} no longer holds every record below the committed offset ${end} (offset ${missing} is gone).`,
  );
}

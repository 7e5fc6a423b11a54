/**
 * The task log of a synchronous `Broker` (the embedded log): every call
 * answers at once, so the scheduler never waits and the test driver's
 * `runUntilIdle` drains deterministically. A commit is the broker's one
 * transaction, state participants included.
 */
import type { AppendBuffer, Broker, FetchResult, ReadLimits, TransactionRequest } from './broker.js';
import type { TaskLog } from './task-log.js';

export function brokerTaskLog(broker: Broker): TaskLog {
  return {
    restoresState: false,
    readRecords: 1000,
    committedOffset: (group: string, topic: string, partition: number): number | null => broker.committedOffset(group, topic, partition),
    latestOffset: (topic: string, partition: number): number => broker.latestOffset(topic, partition),
    fetch: (topic: string, partition: number, fromOffset: number, limits?: ReadLimits): FetchResult =>
      broker.fetch(topic, partition, Math.max(fromOffset, broker.earliestOffset(topic, partition)), limits),
    createAppendBuffer: (topic: string): AppendBuffer => broker.createAppendBuffer(topic),
    commit: (request: TransactionRequest): void => broker.commitTransaction(request),
    deleteRecords: (topic: string, partition: number, beforeOffset: number): void => {
      // At or below the log start there is nothing to delete: spare the write transaction.
      if (beforeOffset > broker.earliestOffset(topic, partition)) broker.deleteRecords(topic, partition, beforeOffset);
    },
    deleteGroup: (group: string): void => broker.deleteGroup(group),
  };
}

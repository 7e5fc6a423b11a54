import type { CommitPositions, FetchResult, ReadLimits, TransactionRequest } from '../../src/broker/broker.js';
import { brokerTaskLog, type EmbeddedBroker, type TaskLog } from '../../src/broker/index.js';

/**
 * The embedded log seen as a remote one: it reports `restoresState`, and as
 * Kafka's task log it runs the commit's state participants only after its
 * own commit, with the positions that commit reached. The stores live in a
 * file of their own, which a test can delete or roll back. It counts the
 * records read from changelog topics (only a restore or a standby reads
 * them) and the commits.
 */
export class RestoringLog implements TaskLog {
  readonly restoresState = true;
  changelogRecordsRead = 0;
  commits = 0;
  /**
   * Fails the next commit that writes a changelog after the log committed it, before the local stores are
   * written: a crash in between.
   */
  crashAfterLogCommit = false;
  /** Changelog reads answer on a later turn of the event loop, as a remote log's do. */
  deferChangelogReads = false;
  private readonly inner: TaskLog;

  constructor(broker: EmbeddedBroker) {
    this.inner = brokerTaskLog(broker);
  }

  committedOffset(group: string, topic: string, partition: number): number | null {
    return this.inner.committedOffset(group, topic, partition) as number | null;
  }

  latestOffset(topic: string, partition: number): number {
    return this.inner.latestOffset(topic, partition);
  }

  fetch(topic: string, partition: number, fromOffset: number, limits?: ReadLimits): FetchResult | Promise<FetchResult> {
    const read = (): FetchResult => {
      const result = this.inner.fetch(topic, partition, fromOffset, limits) as FetchResult;
      if (topic.endsWith('-changelog')) this.changelogRecordsRead += result.records.length;
      return result;
    };
    if (!this.deferChangelogReads || !topic.endsWith('-changelog')) return read();
    return new Promise((resolve, reject) => setImmediate(() => {
      try {
        resolve(read());
      } catch (error) {
        reject(error);
      }
    }));
  }

  createAppendBuffer(topic: string) {
    return this.inner.createAppendBuffer(topic);
  }

  commit(request: TransactionRequest): void {
    this.commits++;
    let positions: CommitPositions | undefined;
    this.inner.commit({ ...request, participants: [{ commit: (p) => (positions = p) }] });
    if (this.crashAfterLogCommit && request.appends?.some((buffer) => buffer.topic.endsWith('-changelog'))) {
      this.crashAfterLogCommit = false;
      throw new Error('crashed after the log commit');
    }
    for (const participant of request.participants ?? []) participant.commit(positions!);
  }

  deleteRecords(topic: string, partition: number, beforeOffset: number): void {
    this.inner.deleteRecords(topic, partition, beforeOffset);
  }

  deleteGroup(group: string): void {
    this.inner.deleteGroup(group);
  }
}

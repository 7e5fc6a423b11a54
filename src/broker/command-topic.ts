import type { MaybeAsync } from '../common/maybe-async.js';
import type { FetchResult } from './broker.js';
/**
 * The command topic (`_confluent-ksql-<service id>_command_topic`, one partition, kept forever) that every server of a
 * service id reads in order and applies. Appends are exclusive, as ksqlDB's: opening one fences any other server's open
 * append (Kafka: a transactional producer whose transactional.id is the service id), and tells the committed end at
 * that moment, so the caller applies every command before it and checks the statement against that state before
 * writing.
 */
export interface CommandTopic {
  readonly topic: string;
  /** Committed records from `fromOffset`, in order (long-polls briefly on Kafka when there are none). */
  read(fromOffset: number): MaybeAsync<FetchResult>;
  beginAppend(): MaybeAsync<CommandAppend>;
  close(): MaybeAsync<void>;
}
export interface CommandAppend {
  /** The committed end of the topic when the append opened. */
  readonly end: number;
  /** Writes one command and commits; resolves with its offset. Rejects when another server's append fenced this one. */
  write(value: Buffer): MaybeAsync<number>;
  abort(): MaybeAsync<void>;
}

/**
 * A command topic that lives only as long as its process: headless mode's
 * (ksqlDB's headless servers have no command topic). The engine commits its
 * statements' commands through it as through any command topic, so they run
 * the same way; nothing is kept, and the next start runs the queries file
 * again.
 */
import type { ConsumedRecord, FetchResult } from './broker.js';
import type { CommandAppend, CommandTopic } from './command-topic.js';

export function memoryCommandTopic(topic: string): CommandTopic {
  const records: ConsumedRecord[] = [];
  return {
    topic,
    read: (fromOffset: number): FetchResult => ({ records: records.slice(Math.max(fromOffset, 0)), nextOffset: records.length }),
    beginAppend: (): CommandAppend => ({
      end: records.length,
      write: (value: Buffer): number => {
        const offset = records.length;
        records.push({ topic, partition: 0, offset, timestamp: Date.now(), key: null, value, headers: [] });
        return offset;
      },
      abort: () => {},
    }),
    close: () => {},
  };
}

/**
 * The kafkajs side of `npm run bench -- wire`, run in a worker thread so the
 * client's own encoding and decoding do not share the listener's thread: it
 * produces the records in batches (acks 1), then consumes them back from the
 * beginning in a group, checking each value, and posts the timings.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';
import { wireValue } from './wire-records.js';

export interface KafkajsJob {
  readonly port: number;
  readonly topic: string;
  readonly count: number;
  readonly batch: number;
  readonly timeoutMs: number;
}

export interface KafkajsOutcome {
  readonly produceSeconds: number;
  /** Null when consuming failed; `fetchFailure` says why. */
  readonly fetchSeconds: number | null;
  readonly fetchFailure: string | null;
}

async function produce(kafka: Kafka, job: KafkajsJob): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const batches: { value: Buffer }[][] = [];
  for (let i = 0; i < job.count; i += job.batch) {
    const messages: { value: Buffer }[] = [];
    for (let j = i; j < Math.min(job.count, i + job.batch); j++) messages.push({ value: wireValue(j) });
    batches.push(messages);
  }
  const start = process.hrtime.bigint();
  for (const messages of batches) await producer.send({ topic: job.topic, acks: 1, messages });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await producer.disconnect();
  return seconds;
}

/** Seconds to consume every record back, checking each value against what was produced. */
async function consume(kafka: Kafka, job: KafkajsJob): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-wire-${Date.now()}`, retry: { retries: 0 } });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: job.topic, fromBeginning: true });
    return await new Promise<number>((resolve, reject) => {
      let seen = 0;
      let start = 0n;
      const timer = setTimeout(() => reject(new Error(`consumed ${seen} of ${job.count} records in ${job.timeoutMs} ms`)), job.timeoutMs);
      consumer.on(consumer.events.CRASH, (event) => {
        clearTimeout(timer);
        reject(event.payload.error);
      });
      consumer.on(consumer.events.GROUP_JOIN, () => {
        start = process.hrtime.bigint();
      });
      void consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              const offset = Number(message.offset);
              if (offset !== seen) throw new Error(`offset ${offset} where ${seen} was expected`);
              if (message.value === null || !message.value.equals(wireValue(offset))) throw new Error(`the value at offset ${offset} is not the one produced`);
              seen++;
            }
            if (seen === job.count) {
              clearTimeout(timer);
              resolve(Number(process.hrtime.bigint() - start) / 1e9);
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

async function main(job: KafkajsJob): Promise<KafkajsOutcome> {
  const kafka = new Kafka({ clientId: 'bench-wire', brokers: [`127.0.0.1:${job.port}`], logLevel: logLevel.NOTHING });
  const produceSeconds = await produce(kafka, job);
  try {
    return { produceSeconds, fetchSeconds: await consume(kafka, job), fetchFailure: null };
  } catch (error) {
    return { produceSeconds, fetchSeconds: null, fetchFailure: error instanceof Error ? error.message : String(error) };
  }
}

parentPort!.postMessage(await main(workerData as KafkajsJob));

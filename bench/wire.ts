/**
 * Throughput of the Kafka-protocol listener with real clients: kafkajs (in a
 * worker thread) and librdkafka through kcat produce 100-byte records
 * (batched, acks 1) to a listener in this process, then consume them back
 * from the beginning; every consumed value is checked. Beside each figure,
 * the limit measured in the same run: the log's in-process append of the
 * same records in batches, and its in-process read of them. kcat's figures
 * include its process start (tens of milliseconds); kafkajs's include only
 * its sends and its consumption once it joined its group.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProducerRecord } from '../src/broker/broker.js';
import { openEmbeddedBroker, type EmbeddedBroker } from '../src/broker/index.js';
import { KafkaListener } from '../src/broker/kafka-protocol/kafka-listener.js';
import { printResult } from './report.js';
import type { KafkajsJob, KafkajsOutcome } from './wire-kafkajs.js';
import { wireText, wireValue } from './wire-records.js';

const KAFKAJS_RECORDS = Number(process.env['BENCH_WIRE_KAFKAJS_RECORDS'] ?? 100_000);
const KCAT_RECORDS = Number(process.env['BENCH_WIRE_KCAT_RECORDS'] ?? 300_000);
const BATCH = 1000;
const CLIENT_TIMEOUT_MS = 30_000;
const ROUNDS = 3;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Records/s of appending `count` of the records in-process, `BATCH` per call, to a topic of its own. */
function measureAppend(broker: EmbeddedBroker, topic: string, count: number): number {
  broker.createTopic(topic, { partitions: 1 });
  const batches: ProducerRecord[][] = [];
  for (let i = 0; i < count; i += BATCH) {
    const batch: ProducerRecord[] = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) batch.push({ key: null, value: wireValue(j), partition: 0 });
    batches.push(batch);
  }
  const start = process.hrtime.bigint();
  for (const batch of batches) broker.append(topic, batch);
  return count / seconds(start);
}

/** Records/s of reading a whole topic back in-process. */
function measureRead(broker: EmbeddedBroker, topic: string): number {
  const end = broker.latestOffset(topic, 0);
  let offset = 0;
  const start = process.hrtime.bigint();
  while (offset < end) {
    const records = broker.read(topic, 0, offset, { maxRecords: 5000 });
    offset = records[records.length - 1]!.offset + 1;
  }
  return end / seconds(start);
}

/** Throws unless the topic holds exactly the `count` records produced, in order. */
function checkStored(broker: EmbeddedBroker, topic: string, count: number): void {
  const end = broker.latestOffset(topic, 0);
  if (end !== count) throw new Error(`${topic} holds ${end} records, not ${count}`);
  for (let offset = 0; offset < end; ) {
    for (const record of broker.read(topic, 0, offset, { maxRecords: 5000 })) {
      if (record.value === null || !record.value.equals(wireValue(record.offset))) throw new Error(`${topic}: the value at offset ${record.offset} is not the one produced`);
      offset = record.offset + 1;
    }
  }
}

function runKafkajs(job: KafkajsJob): Promise<KafkajsOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./wire-kafkajs.js', import.meta.url), { workerData: job });
    worker.once('message', (outcome: KafkajsOutcome) => resolve(outcome));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the kafkajs worker exited (${code}) without a result`)));
  });
}

/** Runs kcat to its exit, its standard output into `output` (a file, so this thread does not carry it); returns the seconds it took. */
function runKcat(args: readonly string[], output: string): Promise<number> {
  const fd = openSync(output, 'w');
  const start = process.hrtime.bigint();
  return new Promise<number>((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['ignore', fd, 'pipe'], timeout: CLIENT_TIMEOUT_MS });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(seconds(start));
      else reject(new Error(`kcat ${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  }).finally(() => closeSync(fd));
}

function kcatMissing(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('kcat', ['-V'], (error) => resolve(error === null ? null : 'kcat is not on PATH (apt-get install -y kcat)'));
  });
}

/** Best of `ROUNDS` kcat produce and consume runs against the listener, each checked; records/s. */
async function measureKcat(broker: EmbeddedBroker, port: number, dir: string): Promise<{ produce: number; fetch: number }> {
  const input = join(dir, 'records.txt');
  const output = join(dir, 'consumed.txt');
  const lines: string[] = [];
  for (let i = 0; i < KCAT_RECORDS; i++) lines.push(wireText(i));
  const expected = `${lines.join('\n')}\n`;
  writeFileSync(input, expected, 'latin1');
  const bootstrap = `127.0.0.1:${port}`;
  let produce = 0;
  let fetch = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const topic = `wire-kcat-${round}`;
    broker.createTopic(topic, { partitions: 1 });
    const produced = await runKcat(['-b', bootstrap, '-P', '-t', topic, '-p', '0', '-l', input, '-X', 'acks=1'], output);
    checkStored(broker, topic, KCAT_RECORDS);
    produce = Math.max(produce, KCAT_RECORDS / produced);
    // -e stops at the log end, which librdkafka learns from one more fetch there: a short wait
    // keeps that last long poll (fetch.wait.max.ms, 500 ms by default) out of the figure.
    const consumed = await runKcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'fetch.wait.max.ms=10'], output);
    if (readFileSync(output, 'latin1') !== expected) throw new Error('kcat -C did not print exactly the records produced');
    fetch = Math.max(fetch, KCAT_RECORDS / consumed);
  }
  return { produce, fetch };
}

export async function runWireBenchmark(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-bench-wire-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  const listener = await KafkaListener.start({ broker, host: '127.0.0.1', port: 0, clusterId: broker.dataDirId });
  try {
    // The machine is shared: the limits are the best of a few rounds, as the kcat figures are.
    let appendLimit = 0;
    let readLimit = 0;
    for (let round = 0; round < ROUNDS; round++) {
      appendLimit = Math.max(appendLimit, measureAppend(broker, `limit-${round}`, Math.max(KAFKAJS_RECORDS, KCAT_RECORDS)));
      readLimit = Math.max(readLimit, measureRead(broker, `limit-${round}`));
    }

    broker.createTopic('wire-kafkajs', { partitions: 1 });
    const kafkajs = await runKafkajs({ port: listener.port, topic: 'wire-kafkajs', count: KAFKAJS_RECORDS, batch: BATCH, timeoutMs: CLIENT_TIMEOUT_MS });
    checkStored(broker, 'wire-kafkajs', KAFKAJS_RECORDS);
    printResult('wire.produce.100b.kafkajs', KAFKAJS_RECORDS / kafkajs.produceSeconds, 'records/s', appendLimit);
    if (kafkajs.fetchSeconds === null) console.log(`wire.fetch.100b.kafkajs not measured: the kafkajs consumer failed: ${kafkajs.fetchFailure}`);
    else printResult('wire.fetch.100b.kafkajs', KAFKAJS_RECORDS / kafkajs.fetchSeconds, 'records/s', readLimit);

    const missing = await kcatMissing();
    if (missing !== null) {
      console.log(`wire.*.kcat not measured: ${missing}`);
      return;
    }
    const kcat = await measureKcat(broker, listener.port, dir);
    printResult('wire.produce.100b.kcat', kcat.produce, 'records/s', appendLimit);
    printResult('wire.fetch.100b.kcat', kcat.fetch, 'records/s', readLimit);
  } finally {
    await listener.close();
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

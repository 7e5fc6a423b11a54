import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/index.js';
import { KsqlConfig } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import { parsePrintRequest, startPrint, topicsLike, type PrintEnd, type PrintOptions } from '../../src/engine/print-topic.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import type { PrintTopic } from '../../src/parser/ast/statement.js';
import { Scheduler } from '../../src/runtime/scheduler.js';

interface Node {
  readonly dir: string;
  readonly broker: EmbeddedBroker;
  readonly engine: KsqlEngine;
  readonly scheduler: Scheduler;
}

function open(): Node {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-print-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  const scheduler = new Scheduler();
  const engine = new KsqlEngine({ broker, config: new KsqlConfig({}), functions: createFunctionRegistry(), scheduler });
  broker.createTopic('events', { partitions: 2 });
  return { dir, broker, engine, scheduler };
}

function close(node: Node): void {
  node.engine.close();
  node.broker.close();
  rmSync(node.dir, { recursive: true, force: true });
}

function parse(node: Node, sql: string): PrintTopic {
  const statement = parsePrintRequest(node.engine, { sql, properties: {}, variables: new Map() });
  if (statement === undefined) throw new Error(`not a PRINT: ${sql}`);
  return statement;
}

function print(node: Node, sql: string, options: Partial<PrintOptions> = {}) {
  const lines: string[] = [];
  const ends: PrintEnd[] = [];
  const running = startPrint(node.engine, parse(node, sql), { offsetReset: 'latest', formatLines: false, ...options }, {
    line: (text) => lines.push(text),
    end: (end) => ends.push(end),
  });
  return { lines, ends, running };
}

const append = (node: Node, values: string[], partition = 0, timestamp = 1588344313111): void => {
  node.broker.append('events', values.map((v) => ({ key: Buffer.from('k'), value: Buffer.from(v), partition, timestamp })));
};

test('PRINT starts at the end of the topic and prints what is appended after it, from every partition', (t) => {
  const node = open();
  try {
    append(node, ['old']);
    const { lines } = print(node, "PRINT 'events';");
    node.scheduler.runUntilIdle();
    t.deepEqual(lines, []);
    append(node, ['a'], 0);
    append(node, ['b'], 1);
    node.scheduler.runUntilIdle();
    t.deepEqual(lines.sort(), [
      'rowtime: 2020/05/01 14:45:13.111 Z, key: k, value: a, partition: 0',
      'rowtime: 2020/05/01 14:45:13.111 Z, key: k, value: b, partition: 1',
    ]);
  } finally {
    close(node);
  }
});

test('FROM BEGINNING, or auto.offset.reset earliest, starts at the beginning of each partition', (t) => {
  const node = open();
  try {
    append(node, ['x', 'y'], 0);
    append(node, ['z'], 1);
    const fromBeginning = print(node, 'PRINT events FROM BEGINNING;');
    const earliest = print(node, 'PRINT events;', { offsetReset: 'earliest' });
    node.scheduler.runUntilIdle();
    t.is(fromBeginning.lines.length, 3);
    t.is(earliest.lines.length, 3);
  } finally {
    close(node);
  }
});

test('INTERVAL keeps every n-th record and LIMIT ends printing after n lines', (t) => {
  const node = open();
  try {
    append(node, ['0', '1', '2', '3', '4', '5', '6'], 0);
    const { lines, ends } = print(node, 'PRINT events FROM BEGINNING INTERVAL 2 LIMIT 3;');
    node.scheduler.runUntilIdle();
    t.deepEqual(lines.map((l) => /value: (\d)/.exec(l)![1]), ['0', '2', '4']);
    t.deepEqual(ends, [{ kind: 'limit' }]);
    append(node, ['7'], 0);
    node.scheduler.runUntilIdle();
    t.is(lines.length, 3);
  } finally {
    close(node);
  }
});

test('SAMPLE is INTERVAL under another name and LIMIT 0 ends at once', (t) => {
  const node = open();
  try {
    append(node, ['0', '1', '2', '3'], 0);
    const sampled = print(node, 'PRINT events FROM BEGINNING SAMPLE 3;');
    const none = print(node, 'PRINT events FROM BEGINNING LIMIT 0;');
    node.scheduler.runUntilIdle();
    t.deepEqual(sampled.lines.map((l) => /value: (\d)/.exec(l)![1]), ['0', '3']);
    t.deepEqual(none.lines, []);
    t.deepEqual(none.ends, [{ kind: 'limit' }]);
  } finally {
    close(node);
  }
});

test('the format lines come before the first records and again only when a batch narrows the guess', (t) => {
  const node = open();
  try {
    const { lines } = print(node, 'PRINT events;', { formatLines: true });
    append(node, ['{"a":1}'], 0);
    node.scheduler.runUntilIdle();
    t.deepEqual(lines.slice(0, 2), ['Key format: KAFKA_STRING', 'Value format: JSON or KAFKA_STRING']);
    append(node, ['{"a":2}'], 0);
    node.scheduler.runUntilIdle();
    t.is(lines.length, 4);
    append(node, ['plain text'], 0);
    node.scheduler.runUntilIdle();
    t.deepEqual(lines.slice(4), ['Value format: KAFKA_STRING', 'rowtime: 2020/05/01 14:45:13.111 Z, key: k, value: plain text, partition: 0']);
  } finally {
    close(node);
  }
});

test('a paused PRINT reads nothing until resumed, and a closed one ends as closed', (t) => {
  const node = open();
  try {
    const { lines, ends, running } = print(node, 'PRINT events;');
    running.pause();
    t.true(running.isPaused);
    append(node, ['a'], 0);
    node.scheduler.runUntilIdle();
    t.deepEqual(lines, []);
    running.resume();
    node.scheduler.runUntilIdle();
    t.is(lines.length, 1);
    t.is(node.engine.listPrints().length, 1);
    running.close();
    t.deepEqual(ends, [{ kind: 'closed' }]);
    t.is(node.engine.listPrints().length, 0);
  } finally {
    close(node);
  }
});

test('an idle PRINT writes an empty keep-alive line when asked to', async (t) => {
  const node = open();
  try {
    const { lines } = print(node, 'PRINT events;', { idleLineMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    node.scheduler.runOnce();
    t.deepEqual(lines, ['']);
  } finally {
    close(node);
  }
});

test('a deleted topic ends PRINT as failed', (t) => {
  const node = open();
  try {
    const { ends } = print(node, 'PRINT events;');
    node.broker.deleteTopic('events');
    node.scheduler.runUntilIdle();
    t.is(ends[0]?.kind, 'failed');
  } finally {
    close(node);
  }
});

test('only PRINT statements are taken as PRINT; a bare topic name keeps its case', (t) => {
  const node = open();
  try {
    const request = (sql: string) => ({ sql, properties: {}, variables: new Map<string, string>() });
    t.is(parsePrintRequest(node.engine, request('SELECT * FROM S EMIT CHANGES;')), undefined);
    t.like(parsePrintRequest(node.engine, request('-- look\nPRINT Events;')), { topic: 'Events' });
    t.like(parsePrintRequest(node.engine, { sql: 'PRINT ${t};', properties: {}, variables: new Map([['T', 'events']]) }), { topic: 'events' });
    t.throws(() => parsePrintRequest(node.engine, request('PRINT events INTERVAL 0;')), { message: /INTERVAL must be at least 1/ });
    node.broker.createTopic('EVENTS', { partitions: 1 });
    t.deepEqual(topicsLike(node.engine, 'Events').sort(), ['EVENTS', 'events']);
  } finally {
    close(node);
  }
});

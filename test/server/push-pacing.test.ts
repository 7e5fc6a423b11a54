/**
 * A subscriber's rows keep flowing while another client floods the server
 * with inserts: a WebSocket client's backlog goes out in batches per turn of
 * the event loop, not one message per turn (turns grow long under a flood,
 * and one row per turn then starves the subscriber). Measured in turns of the
 * server's event loop, not time; the flood runs in a worker thread.
 */
import test from 'ava';
import WebSocket from 'ws';
import { useServer } from './helpers.js';
import { startInsertsFlood } from './inserts-flood.js';
import { eventually } from './stream-helpers.js';

const BACKLOG = 2000;

const h = useServer({
  statements: [
    "CREATE STREAM TICKS (ID INT KEY, N INT) WITH (KAFKA_TOPIC='ticks', PARTITIONS=1, VALUE_FORMAT='JSON');",
    "CREATE STREAM FLOOD (K INT KEY, N BIGINT) WITH (KAFKA_TOPIC='flood', PARTITIONS=1, VALUE_FORMAT='JSON');",
  ],
});

/** Counts turns of the event loop until stopped. */
function turnCounter(): { readonly turns: () => number; stop: () => void } {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { turns: () => turns, stop: () => (running = false) };
}

function ticks(count: number): { key: Buffer; value: Buffer }[] {
  return Array.from({ length: count }, (_, i) => {
    const key = Buffer.alloc(4);
    key.writeInt32BE(i);
    return { key, value: Buffer.from(JSON.stringify({ N: i })) };
  });
}

test('a WebSocket subscriber gets a backlog of rows in a few turns of the event loop while another client floods inserts', async (t) => {
  const request = encodeURIComponent(JSON.stringify({ ksql: 'SELECT N FROM TICKS EMIT CHANGES;' }));
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws/query?request=${request}`);
  ws.on('error', () => {});
  const rows: number[] = [];
  let counter: ReturnType<typeof turnCounter> | undefined;
  let header = false;
  ws.on('message', (m) => {
    if (!header) {
      header = true;
      return;
    }
    counter ??= turnCounter();
    rows.push((JSON.parse(String(m)) as { row: { columns: [number] } }).row.columns[0]);
    if (rows.length === BACKLOG) counter.stop();
  });
  t.true(await eventually(() => header));
  const flood = startInsertsFlood(h.url, 'FLOOD');
  try {
    t.true(await eventually(() => flood.acked() > 0, 30_000));
    h.server.engine.broker.append('ticks', ticks(BACKLOG));
    h.server.engine.scheduler.wake();
    t.true(await eventually(() => rows.length === BACKLOG, 60_000), `${rows.length} rows`);
    t.deepEqual(rows, Array.from({ length: BACKLOG }, (_, i) => i));
    // One row per turn would take BACKLOG turns at least.
    t.true(counter!.turns() < BACKLOG / 5, `${counter!.turns()} turns for ${BACKLOG} rows`);
  } finally {
    await flood.stop();
    ws.close();
  }
});

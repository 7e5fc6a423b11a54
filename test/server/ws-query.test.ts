import test from 'ava';
import WebSocket from 'ws';
import { runSql, useServer } from './helpers.js';
import { eventually } from './stream-helpers.js';

const h = useServer({ statements: ["CREATE STREAM EVENTS (ID INT KEY, KIND STRING) WITH (KAFKA_TOPIC='events', PARTITIONS=1, VALUE_FORMAT='JSON');"] });

interface Session {
  readonly messages: string[];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly ws: WebSocket;
}

function open(params: string): Session {
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws/query?${params}`);
  const messages: string[] = [];
  ws.on('message', (m) => messages.push(String(m)));
  ws.on('error', () => {});
  const opened = new Promise<void>((r) => ws.once('open', () => r()));
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: String(reason) })));
  return { messages, opened, closed, ws };
}

const requestParam = (ksql: string): string => `request=${encodeURIComponent(JSON.stringify({ ksql, streamsProperties: {} }))}`;

test.serial('a push query over the WebSocket sends the columns, then one message per row, and closes normally at LIMIT', async (t) => {
  const s = open(requestParam('SELECT KIND, ID FROM EVENTS EMIT CHANGES LIMIT 2;'));
  await s.opened;
  t.true(await eventually(() => s.messages.length === 1));
  t.deepEqual(JSON.parse(s.messages[0]!), [
    { name: 'KIND', schema: { type: 'STRING', fields: null, memberSchema: null } },
    { name: 'ID', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
  ]);
  await runSql(h, "INSERT INTO EVENTS (ID, KIND) VALUES (1, 'click'); INSERT INTO EVENTS (ID, KIND) VALUES (2, 'view');");
  const closed = await s.closed;
  t.is(closed.code, 1000);
  t.deepEqual(s.messages.slice(1).map((m) => JSON.parse(m)), [{ row: { columns: ['click', 1] } }, { row: { columns: ['view', 2] } }]);
});

test.serial('closing the WebSocket frees its transient query', async (t) => {
  const s = open(requestParam('SELECT * FROM EVENTS EMIT CHANGES;'));
  await s.opened;
  t.true(await eventually(() => h.server.engine.listTransientQueries().length === 1));
  s.ws.close();
  t.true(await eventually(() => h.server.engine.listTransientQueries().length === 0));
});

test.serial('a missing request, bad JSON or an unknown source close the socket with 1003 and the reason', async (t) => {
  const missing = await open('version=1').closed;
  t.is(missing.code, 1003);
  t.regex(missing.reason, /request/);
  const badJson = await open('request=%7Bnope').closed;
  t.is(badJson.code, 1003);
  const unknown = await open(requestParam('SELECT * FROM NOPE EMIT CHANGES;')).closed;
  t.is(unknown.code, 1003);
  t.regex(unknown.reason, /NOPE/);
});

/**
 * A graceful stop, mostly of the real server process by SIGTERM, while
 * clients stream: every row the server stored was acknowledged, every
 * response ends properly, and the process exits 0; what a stop cannot end
 * in time is cut and logged. The race is timing-dependent, so the main stop
 * is repeated.
 */
import test from 'ava';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:http2';
import WebSocket from 'ws';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { removeDir } from '../helpers/temp-dir.js';
import { makeDataDir, runSqlOrThrow, startServer } from './helpers.js';

const CREATE_ROWS = "CREATE STREAM ROWS (K INT KEY, N BIGINT) WITH (KAFKA_TOPIC='rows', PARTITIONS=1, VALUE_FORMAT='JSON');";
const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';
/** Rows per write of a client. */
const ROWS_PER_WRITE = 100;

/** What a client of one streamed request saw. */
interface ClientResult {
  /** The row numbers acknowledged with status ok (inserts streams). */
  readonly acked: Set<number>;
  /** Errors and resets the client saw. */
  readonly errors: string[];
  /** Whether the response ended properly (final chunk / END_STREAM). */
  ended: boolean;
}

interface RunningClient {
  readonly result: ClientResult;
  /** Resolves once the exchange is over, ended or not. */
  readonly done: Promise<ClientResult>;
}

function newResult(): ClientResult {
  return { acked: new Set(), errors: [], ended: false };
}

/** Reads delimited acks, numbering the rows from `base`. */
function ackReader(result: ClientResult, base: number): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const ack = JSON.parse(line) as { status: string; seq: number };
      if (ack.status === 'ok') result.acked.add(base + ack.seq);
      else result.errors.push(`error ack: ${line}`);
    }
  };
}

function rowsFrom(first: number): string {
  let text = '';
  for (let n = first; n < first + ROWS_PER_WRITE; n++) text += `{"K":${n % 7},"N":${n}}\n`;
  return text;
}

/** Writes rows numbered from `base` while `open()` holds, waiting for `drained` when the transport is full. */
async function writeRows(base: number, write: (chunk: string) => boolean, drained: () => Promise<void>, open: () => boolean): Promise<void> {
  let n = base;
  while (open()) {
    const more = write(rowsFrom(n));
    n += ROWS_PER_WRITE;
    // A steady pace, so neither client starves the other of the server's time.
    await (more ? new Promise((r) => setTimeout(r, 2)) : drained());
  }
}

/**
 * An /inserts-stream client over HTTP/1.1 that ends its request when the
 * response ends, or with `lingering` goes on sending rows after it (until
 * the connection is cut).
 */
function insertsHttp1(url: string, base: number, lingering = false): RunningClient {
  const result = newResult();
  let open = true;
  const done = new Promise<ClientResult>((resolve) => {
    const req = httpRequest(`${url}/inserts-stream`, { method: 'POST', headers: { 'content-type': 'application/json', accept: DELIMITED } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', ackReader(result, base));
      res.on('aborted', () => result.errors.push('response aborted'));
      res.on('error', (error) => result.errors.push(`response: ${error.message}`));
      res.on('end', () => {
        result.ended = true;
        if (lingering) return;
        open = false;
        req.end();
      });
      res.on('close', () => {
        if (lingering) return;
        open = false;
        resolve(result);
      });
    });
    req.on('error', (error) => {
      result.errors.push(`request: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
      open = false;
      resolve(result);
    });
    req.write('{"target":"ROWS"}\n');
    const drained = (): Promise<void> => new Promise((r) => {
      req.once('drain', r);
      req.once('close', r);
    });
    void writeRows(base, (chunk) => req.write(chunk), drained, () => open && !req.destroyed);
  });
  return { result, done };
}

/** An /inserts-stream client over HTTP/2 that ends its request when the response ends. */
function insertsHttp2(url: string, base: number): RunningClient {
  const result = newResult();
  let open = true;
  const session = connect(url);
  session.on('error', (error) => result.errors.push(`session: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
  const stream = session.request({ ':method': 'POST', ':path': '/inserts-stream', 'content-type': 'application/json', accept: DELIMITED });
  stream.setEncoding('utf8');
  stream.on('data', ackReader(result, base));
  stream.on('aborted', () => result.errors.push('stream aborted'));
  stream.on('error', (error) => result.errors.push(`stream: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
  stream.on('end', () => {
    result.ended = true;
    open = false;
    stream.end();
  });
  const done = new Promise<ClientResult>((resolve) => {
    stream.on('close', () => {
      open = false;
      if (stream.rstCode !== undefined && stream.rstCode !== 0) result.errors.push(`stream reset with code ${stream.rstCode}`);
      session.close();
      resolve(result);
    });
  });
  stream.write('{"target":"ROWS"}\n');
  const drained = (): Promise<void> => new Promise((r) => {
    stream.once('drain', r);
    stream.once('close', r);
  });
  void writeRows(base, (chunk) => stream.write(chunk), drained, () => open && !stream.destroyed);
  return { result, done };
}

/** A GET of /info through `agent`: the status and the body. */
function getInfo(url: string, agent: Agent): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(`${url}/info`, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    }).on('error', reject).end();
  });
}

/** A /query-stream push query over HTTP/1.1; resolves `started` once its header arrived. */
function queryStream(url: string): RunningClient & { started: Promise<void> } {
  const result = newResult();
  let started!: () => void;
  const startedPromise = new Promise<void>((r) => (started = r));
  const done = new Promise<ClientResult>((resolve) => {
    const req = httpRequest(`${url}/query-stream`, { method: 'POST', headers: { 'content-type': 'application/json', accept: DELIMITED } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', () => started());
      res.on('aborted', () => result.errors.push('response aborted'));
      res.on('error', (error) => result.errors.push(`response: ${error.message}`));
      res.on('end', () => (result.ended = true));
      res.on('close', () => resolve(result));
    });
    req.on('error', (error) => {
      result.errors.push(`request: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
      resolve(result);
    });
    req.end(JSON.stringify({ sql: 'SELECT * FROM ROWS EMIT CHANGES;' }));
  });
  return { result, done, started: startedPromise };
}

/** A /ws/query push query; resolves `started` with its first message and `closed` with the close code and reason. */
function wsQuery(url: string): { started: Promise<void>; closed: Promise<{ code: number; reason: string }> } {
  const request = encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM ROWS EMIT CHANGES;' }));
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/query?request=${request}`);
  ws.on('error', () => {});
  return {
    started: new Promise((r) => ws.once('message', () => r())),
    closed: new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() }))),
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves with the exit code, or kills the process and throws when it does not exit in time. */
async function exitOf(server: ServerProcess, timeoutMs = 15_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => {
      server.child.kill('SIGKILL');
      reject(new Error(`the server did not exit after SIGTERM: ${server.log()}`));
    }, timeoutMs);
  });
  try {
    return (await Promise.race([server.exited, timeout])).code;
  } finally {
    clearTimeout(timer);
  }
}

/** The N of every row stored in the ROWS topic of a stopped server's data directory. */
function storedRows(dataDir: string): number[] {
  const broker = openEmbeddedBroker({ dataDir });
  try {
    const rows: number[] = [];
    let offset = 0;
    const end = broker.latestOffset('rows', 0);
    while (offset < end) {
      const { records, nextOffset } = broker.fetch('rows', 0, offset, { maxRecords: 10_000 });
      for (const r of records) rows.push((JSON.parse(r.value!.toString()) as { N: number }).N);
      offset = nextOffset;
    }
    return rows;
  } finally {
    broker.close();
  }
}

test('on SIGTERM, inserts streams over HTTP/1.1 and HTTP/2 ack every stored row and end cleanly; push queries end properly', async (t) => {
  const dataDir = makeDataDir();
  try {
    const acked = new Set<number>();
    for (let round = 0; round < 3; round++) {
      const server = await startServerProcess(dataDir);
      try {
        if (round === 0) await createRows(server.url);
        const ws = wsQuery(server.url);
        const pushed = queryStream(server.url);
        await Promise.all([ws.started, pushed.started]);
        const h1 = insertsHttp1(server.url, round * 2_000_000);
        const h2 = insertsHttp2(server.url, round * 2_000_000 + 1_000_000);
        await until(() => h1.result.acked.size >= 200 && h2.result.acked.size >= 200, 'acks on both protocols');
        // Land the signal somewhere in the stream of rows, not at a fixed point.
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 30)));
        server.child.kill('SIGTERM');
        t.is(await exitOf(server), 0, server.log());
        for (const [name, client] of [['HTTP/1.1', await h1.done], ['HTTP/2', await h2.done]] as const) {
          t.is(client.errors.length, 0, `${name} inserts client, round ${round}: ${client.errors.slice(0, 3).join('; ')}`);
          t.true(client.ended, `${name} inserts response ended, round ${round}`);
          for (const n of client.acked) acked.add(n);
        }
        const push = await pushed.done;
        t.is(push.errors.length, 0, `query-stream client, round ${round}: ${push.errors.slice(0, 3).join('; ')}`);
        t.true(push.ended, `query-stream response ended, round ${round}`);
        const closed = await ws.closed;
        t.is(closed.code, 1001, `websocket close, round ${round}`);
        t.not(closed.reason, '');
      } finally {
        if (server.child.exitCode === null) server.child.kill('SIGKILL');
      }
    }
    const stored = storedRows(dataDir);
    const unacked = stored.filter((n) => !acked.has(n));
    t.is(unacked.length, 0, `${unacked.length} of ${stored.length} stored rows were never acknowledged, e.g. ${unacked.slice(0, 5).join(', ')}`);
    const storedSet = new Set(stored);
    t.is([...acked].filter((n) => !storedSet.has(n)).length, 0, 'every acknowledged row is stored');
    t.is(storedSet.size, stored.length, 'no row is stored twice');
  } finally {
    removeDir(dataDir);
  }
});

async function createRows(url: string): Promise<void> {
  await runSqlOrThrow({ url } as Parameters<typeof runSqlOrThrow>[0], CREATE_ROWS);
}

test('during a stop, new requests on kept-alive connections get 503; a second SIGTERM cuts the wait short and the process exits 0', async (t) => {
  const dataDir = makeDataDir();
  const server = await startServerProcess(dataDir, ['--shutdown-timeout-ms', '60000']);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await createRows(server.url);
    t.is((await getInfo(server.url, agent)).status, 200);
    // This client goes on sending after its response ended, so the stop waits for it.
    const client = insertsHttp1(server.url, 0, true);
    await until(() => client.result.acked.size >= 100, 'acks');
    server.child.kill('SIGTERM');
    await until(() => client.result.ended, 'the end of the acks');
    const refused = await getInfo(server.url, agent);
    t.is(refused.status, 503);
    t.is(refused.connection, 'close');
    t.like(JSON.parse(refused.body), { '@type': 'generic_error', error_code: 50303 });
    t.is(server.child.exitCode, null, 'the stop waits for the open request');
    server.child.kill('SIGTERM');
    t.is(await exitOf(server), 0, server.log());
    t.regex(server.log(), /"cut":\["POST \/inserts-stream \(HTTP\/1.1\)"\]/);
    t.true(client.result.ended);
    const stored = storedRows(dataDir);
    t.true(stored.length > 0);
    t.true(stored.every((n) => client.result.acked.has(n)), 'every stored row was acknowledged');
  } finally {
    agent.destroy();
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    removeDir(dataDir);
  }
});

test('a stop cuts what is still open after --shutdown-timeout-ms, logs it, and exits 0', async (t) => {
  const dataDir = makeDataDir();
  const server = await startServerProcess(dataDir, ['--shutdown-timeout-ms', '200']);
  try {
    await createRows(server.url);
    const client = insertsHttp1(server.url, 0, true);
    await until(() => client.result.acked.size >= 100, 'acks');
    server.child.kill('SIGTERM');
    t.is(await exitOf(server), 0, server.log());
    t.regex(server.log(), /"cut":\["POST \/inserts-stream \(HTTP\/1.1\)"\].*"timeoutMs":200/);
    t.true(client.result.ended);
    t.true(storedRows(dataDir).every((n) => client.result.acked.has(n)), 'every stored row was acknowledged');
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    removeDir(dataDir);
  }
});

test('an inserts stream answering JSON closes its array of acks when the server stops', async (t) => {
  const h = await startServer();
  try {
    await createRows(h.url);
    let body = '';
    let ended = false;
    let open = true;
    const req = httpRequest(`${h.url}/inserts-stream`, { method: 'POST', headers: { accept: 'application/json' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        ended = true;
        open = false;
        req.end();
      });
    });
    req.on('error', () => (open = false));
    req.write('{"target":"ROWS"}\n');
    const drained = (): Promise<void> => new Promise((r) => {
      req.once('drain', r);
      req.once('close', r);
    });
    void writeRows(0, (chunk) => req.write(chunk), drained, () => open);
    await until(() => body.length > 1000, 'acks');
    await h.server.stop();
    await until(() => ended, 'the end of the response');
    const acks = JSON.parse(body) as { status: string; seq: number }[];
    t.true(acks.every((a, i) => a.status === 'ok' && a.seq === i));
    t.is(storedRows(h.dataDir).length, acks.length);
  } finally {
    removeDir(h.dataDir);
  }
});

/**
 * The load of the kill loops: an at-least-once client that keeps one
 * /inserts-stream request open (HTTP/1.1 chunked or HTTP/2), writing rows in
 * small chunks as ksqlDB's protocol has it (the target first, then one JSON
 * row per line) and reading the server's acks, plus a slower stream of
 * INSERT VALUES statements over /ksql. Every answer goes into the ledger; an
 * attempt the server never answered is handed back to be sent again.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Attempt, InsertLedger } from './insert-ledger.js';

export type InsertTransport = 'http1' | 'http2';

/** Rows written but not yet answered, at most: the client waits for acks beyond this. */
const WINDOW = 300;
/** Rows per written chunk, at most (each chunk is one append on the server). */
const MAX_CHUNK = 20;
const WRITE_PAUSE_MS = 2;
const VALUES_PAUSE_MS = 25;
const RECONNECT_PAUSE_MS = 50;

const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';

export interface LoadSession {
  /** Resolves once this session has `n` acknowledged attempts; rejects after `timeoutMs`. */
  waitForAcks(n: number, timeoutMs: number): Promise<void>;
  /** Stops sending, waits for the open requests to end and hands unanswered attempts back to the ledger. */
  stop(): Promise<void>;
}

/** One open /inserts-stream request. */
interface RowStream {
  write(text: string): void;
  end(): void;
  /** Resolves when the response is over, however it ended (the request may still be open). */
  readonly closed: Promise<void>;
}

/** The text of an attempt as one row of the source stream READINGS. */
function rowJson(a: Attempt): string {
  return JSON.stringify({ ID: a.seq, SEQ: a.seq, SENT: a.sent, SENSOR: a.sensor, V: a.v });
}

function insertValuesSql(a: Attempt): string {
  return `INSERT INTO READINGS (ID, SEQ, SENT, SENSOR, V) VALUES (${a.seq}, ${a.seq}, ${a.sent}, '${a.sensor}', ${a.v});`;
}

/** Starts loading the server at `url` until `stop`. */
export function startLoad(url: string, ledger: InsertLedger, transport: InsertTransport): LoadSession {
  let acks = 0;
  let stopped = false;
  const acknowledge = (sent: number): void => {
    ledger.acknowledge(sent);
    acks++;
  };

  const streamOnce = async (): Promise<void> => {
    const inRequest: number[] = [];
    const answered = new Set<number>();
    let partial = '';
    const onText = (text: string): void => {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (line.trim() === '') continue;
        const ack = JSON.parse(line) as { status: string; seq: number };
        const sent = inRequest[ack.seq];
        if (sent === undefined || answered.has(ack.seq)) throw new Error(`unexpected ack ${line}`);
        answered.add(ack.seq);
        if (ack.status === 'ok') acknowledge(sent);
        else ledger.reject(sent);
      }
    };
    const stream = (transport === 'http1' ? openHttp1 : openHttp2)(url, onText);
    let open = true;
    void stream.closed.then(() => (open = false));
    stream.write('{"target":"READINGS"}\n');
    while (open && !stopped) {
      if (inRequest.length - answered.size < WINDOW) {
        const rows: string[] = [];
        for (let k = 1 + Math.floor(Math.random() * MAX_CHUNK); k > 0; k--) {
          const attempt = ledger.next();
          inRequest.push(attempt.sent);
          rows.push(rowJson(attempt));
        }
        stream.write(`${rows.join('\n')}\n`);
      }
      await sleep(WRITE_PAUSE_MS);
    }
    stream.end();
    await stream.closed;
    inRequest.forEach((sent, seq) => {
      if (!answered.has(seq)) ledger.unanswered(sent);
    });
  };

  const streaming = (async () => {
    while (!stopped) {
      await streamOnce();
      if (!stopped) await sleep(RECONNECT_PAUSE_MS);
    }
  })();

  const inserting = (async () => {
    while (!stopped) {
      const attempt = ledger.next();
      let status: number | undefined;
      try {
        const res = await fetch(`${url}/ksql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ksql: insertValuesSql(attempt) }),
        });
        await res.text();
        status = res.status;
      } catch {
        // No answer: the server died with the statement in flight.
      }
      if (status === 200) acknowledge(attempt.sent);
      else if (status === undefined) ledger.unanswered(attempt.sent);
      else ledger.reject(attempt.sent);
      await sleep(VALUES_PAUSE_MS);
    }
  })();

  return {
    async waitForAcks(n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (acks < n) {
        if (Date.now() > deadline) throw new Error(`the load got ${acks} acks in ${timeoutMs} ms, waiting for ${n}`);
        await sleep(5);
      }
    },
    async stop() {
      stopped = true;
      await Promise.all([streaming, inserting]);
    },
  };
}

function openHttp1(url: string, onText: (text: string) => void): RowStream {
  const req = httpRequest(`${url}/inserts-stream`, { method: 'POST', agent: false, headers: { 'content-type': DELIMITED, accept: DELIMITED } });
  const closed = new Promise<void>((resolve) => {
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', onText);
      res.on('error', () => {});
      res.on('end', resolve);
      res.on('close', resolve);
    });
    // Without a response, the request's end is the end; with one, the response's end or close comes after its last data.
    req.on('error', () => resolve());
    req.on('close', () => setImmediate(resolve));
  });
  req.flushHeaders();
  return {
    write: (text) => {
      if (!req.destroyed && !req.writableEnded) req.write(text);
    },
    end: () => {
      if (!req.destroyed && !req.writableEnded) req.end();
    },
    closed,
  };
}

function openHttp2(url: string, onText: (text: string) => void): RowStream {
  const session = connect(url);
  session.on('error', () => {});
  const stream = session.request({ ':method': 'POST', ':path': '/inserts-stream', 'content-type': DELIMITED, accept: DELIMITED });
  stream.setEncoding('utf8');
  stream.on('data', onText);
  stream.on('error', () => {});
  // The response may end while the request is open: the caller then ends the request, and the stream closes.
  const closed = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
  });
  stream.on('close', () => session.destroy());
  return {
    write: (text) => {
      if (!stream.destroyed && !stream.writableEnded) stream.write(text);
    },
    end: () => {
      if (!stream.destroyed && !stream.writableEnded) stream.end();
    },
    closed,
  };
}

/**
 * POST /inserts-stream: the body is a stream of newline-separated JSON
 * objects, the first `{"target": stream}` and each next one a row (the last
 * may lack its newline). Rows are appended as they arrive (those of one
 * incoming chunk in one append) and acked in order, `{"status":"ok","seq":n}`,
 * or answered with an error object holding their seq; delimited lines or, when
 * the client accepts JSON, one array. A bad target fails the whole request
 * with ksqlDB's error body. A client that does not read its acks makes the
 * server stop reading rows. When the server stops, the stream takes no more
 * rows (the rest of the body is read and dropped, unacked), acks every row
 * it stored and ends the response properly.
 */
import type { Request, Response } from 'express';
import type { ProducerRecord } from '../broker/broker.js';
import { KsqlError, toKsqlError } from '../common/errors.js';
import { isPromise, type MaybeAsync } from '../common/maybe-async.js';
import type { KsqlEngine } from '../engine/engine.js';
import { createRowInserter, type RowInserter } from '../engine/insert-row.js';
import { parseJsonText } from '../formats/json/lossless-json.js';
import { badRequest, sendError } from './error-response.js';
import { onServerStop } from './open-exchanges.js';
import { PacedWriter } from './paced-writer.js';
import { wantsJson } from './query-framing.js';
import { chunkWriter, DELIMITED_CONTENT_TYPE } from './query-routes.js';
import type { StreamLimits } from './client-stream.js';

/**
 * Rows one stream reads in a turn of the event loop: a client flooding rows
 * then yields the turn, so that other clients' acks and rows go out (an
 * HTTP/2 stream sends about one DATA frame per turn) and long turns cannot
 * starve them.
 */
const TURN_INPUT_CHARS = 16 * 1024;

export function handleInsertsStream(engine: KsqlEngine, limits: StreamLimits, maxLineBytes: number, req: Request, res: Response): void {
  const json = wantsJson(req.get('accept'));
  let inserter: RowInserter | undefined;
  let pending = '';
  let seq = 0;
  let acks = 0;
  let failed = false;
  // The rows are all in (the body ended or the server stops): the acks go out, then the response ends.
  let finishing = false;
  const coalesce = json || req.httpVersionMajor !== 2;
  // Reading pauses while the client's acks queue up, and for the rest of a turn that read its share.
  let ackPressure = false;
  let yielding = false;
  let turnChars = 0;
  let turnEndScheduled = false;
  const flow = (): void => {
    if (!finishing && !failed && (ackPressure || yielding)) req.pause();
    else req.resume();
  };
  const countInput = (chars: number): void => {
    turnChars += chars;
    if (!turnEndScheduled) {
      turnEndScheduled = true;
      setImmediate(() => {
        turnEndScheduled = false;
        turnChars = 0;
        if (!yielding) return;
        yielding = false;
        flow();
      });
    }
    if (turnChars >= TURN_INPUT_CHARS && !yielding) {
      yielding = true;
      flow();
    }
  };
  const writer = new PacedWriter({
    write: chunkWriter(res, !coalesce),
    highWater: limits.bufferRows,
    stallMs: limits.stallMs,
    mode: coalesce ? 'coalesced' : 'frame-per-chunk',
    onPressure: (paused) => {
      ackPressure = paused;
      flow();
    },
    onStall: () => {
      failed = true;
      res.destroy();
    },
  });
  const ack = (body: Record<string, unknown>): void => {
    const text = JSON.stringify(body);
    writer.push(json ? `${acks === 0 ? '[' : ','}${text}` : `${text}\n`);
    acks++;
  };

  const fail = (error: unknown): void => {
    failed = true;
    writer.close();
    req.resume();
    if (!res.headersSent) sendError(res, error);
    else res.end();
  };

  // An append the log answers later (Kafka); the next appends and their acks wait for it, in order.
  let appending: Promise<void> | undefined;

  // Ends the response once every append is acked and every queued ack is taken.
  const finish = (): void => {
    finishing = true;
    const end = (): void => {
      if (json) writer.push(acks === 0 ? '[]' : ']');
      void writer.drained().then(() => {
        if (!res.writableEnded && !res.destroyed) res.end();
      });
    };
    if (appending === undefined) end();
    else void appending.then(end);
  };

  // Rows converted but not yet appended, and the acks that follow their append.
  let batch: ProducerRecord[] = [];
  let batchAcks: Record<string, unknown>[] = [];
  const flush = (): void => {
    if (batchAcks.length === 0) return;
    const records = batch;
    const acks = batchAcks;
    batch = [];
    batchAcks = [];
    const settle = (failure: KsqlError | undefined): void => {
      for (const a of acks) {
        ack(failure !== undefined && a.status === 'ok' ? { status: 'error', seq: a.seq, error_code: failure.errorCode, message: failure.message } : a);
      }
      engine.scheduler.wake();
    };
    const write = (): MaybeAsync<void> => {
      let written: MaybeAsync<void>;
      try {
        written = inserter?.append(records);
      } catch (error) {
        return settle(toKsqlError(error));
      }
      if (isPromise(written)) return written.then(() => settle(undefined), (error: unknown) => settle(toKsqlError(error)));
      return settle(undefined);
    };
    const result = appending === undefined ? write() : appending.then(write);
    if (isPromise(result)) {
      const pending = result;
      appending = pending;
      void pending.then(() => {
        if (appending === pending) appending = undefined;
      });
    }
  };

  const handleLine = (line: string): void => {
    if (failed || line.trim() === '') return;
    if (inserter === undefined) {
      let target: unknown;
      try {
        const args = JSON.parse(line) as Record<string, unknown>;
        target = args?.target;
      } catch (error) {
        fail(badRequest(`Invalid JSON in the inserts-stream arguments: ${(error as Error).message}`));
        return;
      }
      if (typeof target !== 'string' || target === '') {
        fail(badRequest("The first JSON object of an inserts stream must have a 'target' field naming a stream."));
        return;
      }
      try {
        inserter = createRowInserter(engine, target);
      } catch (error) {
        fail(error);
        return;
      }
      res.status(200);
      res.setHeader('content-type', json ? 'application/json' : DELIMITED_CONTENT_TYPE);
      return;
    }
    const n = seq++;
    try {
      batch.push(inserter.toRecord(parseJsonText(line)));
      batchAcks.push({ status: 'ok', seq: n });
    } catch (error) {
      const e = error instanceof SyntaxError ? badRequest(`Invalid JSON in row ${n}: ${error.message}`) : toKsqlError(error);
      batchAcks.push({ status: 'error', seq: n, error_code: e.errorCode, message: e.message });
    }
  };

  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    if (failed || finishing) return;
    pending += chunk;
    let start = 0;
    let nl: number;
    while (!failed && (nl = pending.indexOf('\n', start)) >= 0) {
      handleLine(pending.slice(start, nl));
      start = nl + 1;
    }
    pending = pending.slice(start);
    flush();
    countInput(chunk.length);
    if (!failed && pending.length > maxLineBytes) fail(badRequest('A row of the inserts stream is larger than the server accepts.'));
  });
  req.on('end', () => {
    if (failed || finishing) return;
    handleLine(pending);
    pending = '';
    flush();
    if (failed) return;
    if (inserter === undefined) {
      fail(badRequest("The inserts stream is empty: its first JSON object must have a 'target' field naming a stream."));
      return;
    }
    finish();
  });
  res.on('close', () => writer.close());
  // Every row appended so far has its ack queued, or will once its append is answered (finish waits for it).
  onServerStop(res, () => {
    if (failed || finishing) return;
    // The rest of the body is read and dropped, so the client can finish sending it.
    req.resume();
    if (inserter === undefined) fail(new KsqlError('SERVER_SHUTTING_DOWN', 'The server is shutting down.'));
    else finish();
  });
}

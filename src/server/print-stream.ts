/**
 * PRINT on the endpoints that serve it, as ksqlDB serves it:
 *  - POST /query: a chunked text stream (labelled application/json, as
 *    ksqlDB's older API labels all its answers): the `Key format:` and
 *    `Value format:` lines, one line per record, an empty line after a second
 *    without records; a failure ends it with its message on a line. The
 *    partitions start per `auto.offset.reset` of the server and the request.
 *  - POST /query-stream: delimited lines only (406 Not Acceptable when the
 *    client asks for JSON), one per record; `auto.offset.reset` only from the
 *    request, as ksqlDB forces latest before applying the request's.
 *  - /ws/query: one text message per record, the line as a JSON string, and
 *    the close code says how it ended; `auto.offset.reset` of the server.
 * An unknown topic is answered with each endpoint's own ksqlDB message before
 * anything streams. Lines go through the paced writer as push query rows do:
 * a slow client pauses the PRINT, one that reads nothing for too long is cut
 * off, and a client that goes away ends it.
 */
import { KsqlError, toKsqlError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import type { PropertyValue } from '../engine/config.js';
import type { KsqlEngine } from '../engine/engine.js';
import { startPrint, topicsLike, type PrintEnd } from '../engine/print-topic.js';
import type { PrintTopic } from '../parser/ast/statement.js';
import { genericError } from './error-response.js';
import { openClientStream, type QueryTransport, type RunningStream, type StreamOptions } from './client-stream.js';

export type PrintEndpoint = 'query' | 'query-stream' | 'websocket';

/** How long /query waits without records before it writes an empty line (ksqlDB's disconnect check). */
const IDLE_LINE_MS = 1000;

const log = createLogger('server');

/** How an endpoint frames PRINT's lines. */
interface PrintFraming {
  line(text: string): string;
  /** The chunk telling the client printing failed (undefined: the transport says it when finishing). */
  error(error: KsqlError): string | undefined;
}

const FRAMINGS: Readonly<Record<PrintEndpoint, PrintFraming>> = {
  query: { line: (text) => `${text}\n`, error: (error) => `${error.message}\n` },
  'query-stream': { line: (text) => `${text}\n`, error: (error) => `${JSON.stringify(genericError(error))}\n` },
  websocket: { line: (text) => JSON.stringify(text), error: () => undefined },
};

/** ksqlDB's error for a topic that does not exist, in the endpoint's words; undefined when it exists. */
export function missingTopicError(engine: KsqlEngine, endpoint: PrintEndpoint, topic: string): KsqlError | undefined {
  if (engine.topics.hasTopic(topic)) return undefined;
  switch (endpoint) {
    case 'query': {
      const alternatives = topicsLike(engine, topic).sort();
      const suggestion = alternatives.length === 0 ? '' : `\nDid you mean:\n${alternatives.map((t) => `\tprint ${t};`).join('\n')}`;
      return new KsqlError('BAD_REQUEST',
        `Could not find topic '${topic}', or the KSQL user does not have permissions to list the topic. Topic names are case-sensitive.${suggestion}`);
    }
    case 'query-stream':
      return new KsqlError('BAD_STATEMENT', `Topic does not exist: ${topic}`);
    case 'websocket':
      return new KsqlError('BAD_REQUEST', `Topic does not exist, or KSQL does not have permission to list the topic: ${topic}`);
  }
}

/** Streams a PRINT of an existing topic to one client. */
export function streamPrint(
  engine: KsqlEngine, statement: PrintTopic, endpoint: PrintEndpoint, properties: Record<string, PropertyValue>,
  transport: QueryTransport, options: StreamOptions,
): RunningStream {
  const framing = FRAMINGS[endpoint];
  const stream = openClientStream(transport, options, {
    stallMessage: `The client of PRINT ${statement.topic} did not read for ${options.limits.stallMs} ms: printing stopped and the client was disconnected.`,
    logFields: { topic: statement.topic },
    tail: (error) => {
      const chunk = error === undefined ? undefined : framing.error(error);
      return chunk === undefined ? [] : [chunk];
    },
  });
  stream.attach(startPrint(engine, statement, {
    offsetReset: offsetReset(engine, endpoint, properties),
    formatLines: endpoint === 'query',
    idleLineMs: endpoint === 'query' ? IDLE_LINE_MS : undefined,
  }, {
    line: (text) => stream.push(framing.line(text)),
    end: (end: PrintEnd) => {
      if (end.kind === 'failed') {
        log.error({ err: end.error, topic: statement.topic }, 'PRINT failed');
        stream.finish(toKsqlError(end.error));
      } else {
        stream.finish();
      }
    },
  }));
  return stream;
}

/** Where partitions start without FROM BEGINNING: the consumer's auto.offset.reset as each endpoint builds it. */
function offsetReset(engine: KsqlEngine, endpoint: PrintEndpoint, properties: Record<string, PropertyValue>): 'earliest' | 'latest' {
  const value = endpoint === 'query' ? engine.config.withOverrides(properties).get('auto.offset.reset')
    : endpoint === 'websocket' ? engine.config.get('auto.offset.reset')
      : properties['auto.offset.reset'];
  return String(value ?? 'latest').toLowerCase() === 'earliest' ? 'earliest' : 'latest';
}

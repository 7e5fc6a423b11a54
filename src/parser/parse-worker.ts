/**
 * The entry of a parse-pool thread (parse-pool.ts): it builds the parser
 * once, then answers each `{ id, text, options }` with the statements
 * parseStatements makes of the text, or with the KsqlError it throws, as
 * plain data (the AST is plain data: objects, arrays, strings, numbers and
 * BigInts, which structured clone carries as they are).
 */
import { parentPort } from 'node:worker_threads';
import { toKsqlError } from '../common/errors.js';
import { getParser, parseStatements, type ParseOptions } from './parse.js';
import type { ParseReply } from './parse-reply.js';

const port = parentPort;
if (port === null) throw new Error('parse-worker.js runs as a worker thread of a ParsePool');

getParser();
port.on('message', ({ id, text, options }: { id: number; text: string; options: ParseOptions }) => {
  let reply: ParseReply;
  try {
    reply = { id, statements: parseStatements(text, options) };
  } catch (e) {
    const error = toKsqlError(e);
    reply = { id, error: { code: error.code, message: error.message, position: error.position, statementText: error.statementText } };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });

/**
 * Beyond ksqlDB's single-node push queries (its issue #7565): a continuation
 * token says where a push query's client is in each partition of the topic it
 * reads (the offset after the record of the last row it was sent). Sent back
 * as the request property `request.ksql.query.push.continuation.token`, as
 * ksqlDB's scalable push queries take theirs, it starts the query there.
 * The token is opaque to clients: base64url of JSON naming the topic and the
 * offsets, so a token for another source is refused rather than misread.
 */
import { statementError } from '../common/errors.js';

/** The request property that resumes a push query (ksqlDB's name). */
export const CONTINUATION_TOKEN_PROPERTY = 'request.ksql.query.push.continuation.token';
/** The property that asks for token lines in /query-stream responses (ksqlDB's name). */
export const CONTINUATION_TOKENS_ENABLED_PROPERTY = 'ksql.query.push.v2.continuation.tokens.enabled';

interface TokenBody {
  readonly topic: string;
  readonly offsets: readonly (readonly [number, number])[];
}

/** Where a push query is: the next offset to read per partition, updated as rows go to the client. */
export class ContinuationTracker {
  private readonly offsets = new Map<number, number>();

  constructor(private readonly topic: string) {}

  /** The partition's reader starts at `offset`. */
  started(partition: number, offset: number): void {
    if (!this.offsets.has(partition)) this.offsets.set(partition, offset);
  }

  /** A row from the record at `offset` of `partition` went to the client. */
  delivered(partition: number, offset: number): void {
    if (partition < 0 || offset < 0) return;
    if (offset + 1 > (this.offsets.get(partition) ?? 0)) this.offsets.set(partition, offset + 1);
  }

  token(): string {
    const body: TokenBody = { topic: this.topic, offsets: [...this.offsets].sort((a, b) => a[0] - b[0]) };
    return Buffer.from(JSON.stringify(body)).toString('base64url');
  }
}

/** The offsets a token resumes from, checked against the topic the query reads and its partitions. */
export function readContinuationToken(token: string, topic: string, partitions: readonly number[]): Map<number, number> {
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenBody;
  } catch {
    throw statementError(`Invalid continuation token '${token}': it is not a token this server gave.`);
  }
  const valid = body !== null && typeof body === 'object' && typeof body.topic === 'string' && Array.isArray(body.offsets)
    && body.offsets.every((e) => Array.isArray(e) && e.length === 2 && e.every((n) => Number.isSafeInteger(n) && n >= 0));
  if (!valid) throw statementError(`Invalid continuation token '${token}': it is not a token this server gave.`);
  if (body.topic !== topic) {
    throw statementError(`The continuation token is for a query reading topic '${body.topic}', but this query reads '${topic}'.`);
  }
  const offsets = new Map(body.offsets.map(([p, o]) => [p, o] as [number, number]));
  if (offsets.size !== partitions.length || partitions.some((p) => !offsets.has(p))) {
    throw statementError(`The continuation token does not match the partitions of topic '${topic}': it was given before they changed.`);
  }
  return offsets;
}

/**
 * Why a persistent query stopped, as ksqlDB's `QueryError` shows it in
 * EXPLAIN (`queryErrors`): when, the message, and who is likely at fault.
 * USER: the user's doing, a retry will not help (a source topic deleted);
 * SYSTEM: something around the query (storage, corrupt data); UNKNOWN: the
 * rest, bugs included.
 */
import { KsqlError } from '../common/errors.js';
import { causeChain } from '../runtime/processing-log.js';

export type QueryErrorType = 'USER' | 'SYSTEM' | 'UNKNOWN';

export interface QueryError {
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly errorMessage: string;
  readonly type: QueryErrorType;
}

export function toQueryError(error: unknown, timestamp: number): QueryError {
  return { timestamp, errorMessage: describeError(error), type: classify(error) };
}

function classify(error: unknown): QueryErrorType {
  if (!(error instanceof KsqlError)) return 'UNKNOWN';
  switch (error.domain) {
    case 'user':
      return 'USER';
    case 'external':
      return 'SYSTEM';
    case 'internal':
      return 'UNKNOWN';
  }
}

/** The message and its causes, one per line, as a Java stack trace's headline and `Caused by:` lines read. */
function describeError(error: unknown): string {
  const head = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return [head, ...causeChain(error).map((c) => `Caused by: ${c}`)].join('\n');
}

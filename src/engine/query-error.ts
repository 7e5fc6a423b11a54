/**
 * Why a persistent query stopped, as ksqlDB's `QueryError` shows it in
 * EXPLAIN (`queryErrors`): when, the message, and who is likely at fault.
 * USER: the user's doing, a retry will not help (a source topic deleted);
 * SYSTEM: something around the query (storage, corrupt data); UNKNOWN: the
 * rest, bugs included.
 */
import { KsqlError } from '../common/errors.js';

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

/** By the first KsqlError in the cause chain: a task's failure wraps what its operators threw. */
function classify(error: unknown): QueryErrorType {
  let cause = error;
  for (let depth = 0; depth < 10 && cause instanceof Error && !(cause instanceof KsqlError); depth++) cause = cause.cause;
  if (!(cause instanceof KsqlError)) return 'UNKNOWN';
  switch (cause.domain) {
    case 'user':
      return 'USER';
    case 'external':
      return 'SYSTEM';
    case 'internal':
      return 'UNKNOWN';
  }
}

/** The error and its causes, one per line, as a Java stack trace's headline and `Caused by:` lines read. */
function describeError(error: unknown): string {
  const lines = [headline(error)];
  let cause = (error as { cause?: unknown } | null)?.cause;
  while (cause !== undefined && cause !== null && lines.length <= 10) {
    lines.push(`Caused by: ${headline(cause)}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return lines.join('\n');
}

function headline(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

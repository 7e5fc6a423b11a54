/** What a parse-pool thread answers for one text (parse-worker.ts), and how its error comes back. */
import { KsqlError, type ErrorCode, type SourcePosition } from '../common/errors.js';
import type { Statement } from './ast/statement.js';

export interface ParseFailure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly position: SourcePosition | undefined;
  readonly statementText: string | undefined;
}

export type ParseReply =
  | { readonly id: number; readonly statements: Statement[] }
  | { readonly id: number; readonly error: ParseFailure };

/** The KsqlError the thread caught, as parseStatements threw it (without its cause, which stays in the thread). */
export function parseError(failure: ParseFailure): KsqlError {
  return new KsqlError(failure.code, failure.message, {
    ...(failure.position === undefined ? {} : { position: failure.position }),
    ...(failure.statementText === undefined ? {} : { statementText: failure.statementText }),
  });
}

/**
 * The one registry of coded errors. Every error that reaches a user is a
 * KsqlError with a stable `code` (ours) and ksqlDB's numeric `errorCode`
 * (HTTP status x 100 + n), which the server renders in ksqlDB's JSON shape.
 */

/** Who is at fault: the user's input, something outside us, or a bug of ours. */
export type ErrorDomain = 'user' | 'external' | 'internal';

export interface ErrorSpec {
  /** ksqlDB's `error_code`: HTTP status x 100 + n. */
  readonly errorCode: number;
  readonly domain: ErrorDomain;
  /** One sentence for the docs and for `describeErrorCodes`. */
  readonly summary: string;
}

export const ERROR_SPECS = {
  BAD_REQUEST: { errorCode: 40000, domain: 'user', summary: 'The request is malformed (bad JSON, missing field, oversize body).' },
  BAD_STATEMENT: { errorCode: 40001, domain: 'user', summary: 'The statement is invalid: syntax, unknown source or column, type mismatch.' },
  QUERY_ENDPOINT: { errorCode: 40002, domain: 'user', summary: 'The statement is a query and must be sent to a query endpoint.' },
  MAX_PUSH_QUERIES: { errorCode: 40003, domain: 'user', summary: 'The server already runs as many push queries as it allows.' },
  UNAUTHORIZED: { errorCode: 40100, domain: 'user', summary: 'The request carries no valid credentials.' },
  FORBIDDEN: { errorCode: 40300, domain: 'user', summary: 'The caller may not do this.' },
  NOT_FOUND: { errorCode: 40400, domain: 'user', summary: 'No such resource (path, query, command).' },
  REQUEST_TIMEOUT: { errorCode: 40800, domain: 'user', summary: 'The request did not arrive within the server\'s request timeout.' },
  ASSERTION_FAILED: { errorCode: 41700, domain: 'user', summary: 'An ASSERT statement did not hold before its timeout.' },
  TOO_MANY_REQUESTS: { errorCode: 42900, domain: 'user', summary: 'The server refuses more work of this kind for now.' },
  SERVER_ERROR: { errorCode: 50000, domain: 'internal', summary: 'Something failed inside the server.' },
  COMMAND_QUEUE_CATCHUP_TIMEOUT: { errorCode: 50301, domain: 'external', summary: 'The command log did not catch up in time.' },
  SERVER_NOT_READY: { errorCode: 50302, domain: 'external', summary: 'The server is still starting.' },
  SERVER_SHUTTING_DOWN: { errorCode: 50303, domain: 'external', summary: 'The server is shutting down.' },
  CONNECT_UNREACHABLE: { errorCode: 50000, domain: 'external', summary: 'A connector statement needs the Kafka Connect cluster, which cannot be reached.' },
  STORAGE_ERROR: { errorCode: 50000, domain: 'external', summary: 'The log or a state store could not be read or written.' },
  CORRUPT_DATA: { errorCode: 50000, domain: 'external', summary: 'Stored data failed its integrity check.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_SPECS;

/** A 1-based place in a statement's text. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface KsqlErrorOptions {
  readonly position?: SourcePosition;
  readonly statementText?: string;
  readonly cause?: unknown;
}

export class KsqlError extends Error {
  readonly code: ErrorCode;
  readonly errorCode: number;
  readonly domain: ErrorDomain;
  readonly position: SourcePosition | undefined;
  readonly statementText: string | undefined;

  constructor(code: ErrorCode, message: string, options: KsqlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KsqlError';
    this.code = code;
    this.errorCode = ERROR_SPECS[code].errorCode;
    this.domain = ERROR_SPECS[code].domain;
    this.position = options.position;
    this.statementText = options.statementText;
  }

  /** The HTTP status the server answers with. */
  get httpStatus(): number {
    return Math.floor(this.errorCode / 100);
  }
}

/** A user error in a statement: ksqlDB's 40001. */
export function statementError(message: string, options?: KsqlErrorOptions): KsqlError {
  return new KsqlError('BAD_STATEMENT', message, options);
}

/** Wraps anything thrown into a KsqlError, keeping KsqlErrors as they are. */
export function toKsqlError(error: unknown): KsqlError {
  if (error instanceof KsqlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new KsqlError('SERVER_ERROR', message, { cause: error });
}

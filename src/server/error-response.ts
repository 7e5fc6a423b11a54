/**
 * ksqlDB's error bodies. A failed statement on /ksql answers a
 * `statement_error` with the failing statement's text and the entities of the
 * statements before it; every other failure a `generic_error`. The HTTP status
 * is the error code divided by 100.
 */
import type { Response } from 'express';
import { KsqlError, toKsqlError } from '../common/errors.js';
import type { KsqlEntity } from '../engine/entities.js';
import { sendJson } from './send-json.js';

export interface GenericErrorBody {
  readonly '@type': 'generic_error';
  readonly error_code: number;
  readonly message: string;
}

export interface StatementErrorBody {
  readonly '@type': 'statement_error';
  readonly error_code: number;
  readonly message: string;
  readonly statementText: string;
  readonly entities: readonly KsqlEntity[];
}

export function genericError(error: KsqlError): GenericErrorBody {
  return { '@type': 'generic_error', error_code: error.errorCode, message: error.message };
}

/** A statement_error when the error names its statement, else a generic_error. */
export function statementErrorOrGeneric(error: KsqlError, entities: readonly KsqlEntity[]): StatementErrorBody | GenericErrorBody {
  if (error.statementText === undefined) return genericError(error);
  return { '@type': 'statement_error', error_code: error.errorCode, message: error.message, statementText: error.statementText, entities };
}

export function sendError(res: Response, error: unknown, entities?: readonly KsqlEntity[]): void {
  const ksqlError = toKsqlError(error);
  const body = entities === undefined ? genericError(ksqlError) : statementErrorOrGeneric(ksqlError, entities);
  sendJson(res, ksqlError.httpStatus, body);
}

export function badRequest(message: string): KsqlError {
  return new KsqlError('BAD_REQUEST', message);
}

export function notFound(message: string): KsqlError {
  return new KsqlError('NOT_FOUND', message);
}

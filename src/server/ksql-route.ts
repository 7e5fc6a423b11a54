/**
 * POST /ksql: runs the statements of a request, in order, and answers the
 * JSON array of their entities (a long text is parsed off the event loop,
 * and a long run of statements gives the loop back between statements:
 * execute-request.ts). The request's `streamsProperties` and
 * `sessionVariables` seed a session that lives for this request only (SET and
 * DEFINE inside the request apply to the statements after them).
 */
import type { Request, Response } from 'express';
import type { KsqlEngine } from '../engine/engine.js';
import type { KsqlEntity } from '../engine/entities.js';
import type { Session } from '../engine/session.js';
import { executeRequest } from '../engine/execute-request.js';
import type { StatementParser } from '../parser/parse-pool.js';
import type { CommandStatuses } from './command-statuses.js';
import { badRequest, sendError } from './error-response.js';
import { readRequestSession } from './request-session.js';
import { sendJson } from './send-json.js';

export interface KsqlRequest {
  readonly ksql: string;
  readonly session: Session;
}

export async function handleKsql(engine: KsqlEngine, statuses: CommandStatuses, parser: StatementParser, req: Request, res: Response): Promise<void> {
  let request: KsqlRequest;
  try {
    request = readKsqlRequest(req.body);
  } catch (error) {
    sendError(res, error);
    return;
  }
  const entities: KsqlEntity[] = [];
  try {
    await executeRequest(engine, request.ksql, request.session, parser, entities);
  } catch (error) {
    statuses.record(entities);
    sendError(res, error, shown(entities));
    return;
  }
  statuses.record(entities);
  sendJson(res, 200, shown(entities));
}

/** Statements with nothing to show (SET, DEFINE, INSERT VALUES) answer no entity, as in ksqlDB. */
function shown(entities: readonly KsqlEntity[]): KsqlEntity[] {
  return entities.filter((e) => e['@type'] !== 'empty');
}

/** Checks a /ksql body: `ksql` a string, `streamsProperties` and `sessionVariables` objects of scalars. */
export function readKsqlRequest(body: unknown): KsqlRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  const fields = body as Record<string, unknown>;
  if (typeof fields.ksql !== 'string') throw badRequest("The request must have a 'ksql' field holding the statements to run, as a string.");
  if (fields.commandSequenceNumber !== undefined && fields.commandSequenceNumber !== null && typeof fields.commandSequenceNumber !== 'number') {
    throw badRequest("'commandSequenceNumber' must be a number.");
  }
  return { ksql: fields.ksql, session: readRequestSession(fields, 'streamsProperties') };
}

/**
 * Writes a JSON response in ksqlDB's media type when the client asked for
 * it (`application/vnd.ksql.v1+json`), plain `application/json` otherwise.
 */
import type { Response } from 'express';

export const KSQL_V1_JSON = 'application/vnd.ksql.v1+json';

export function sendJson(res: Response, status: number, body: unknown): void {
  const accept = res.req.get('accept') ?? '';
  const type = accept.includes(KSQL_V1_JSON) ? KSQL_V1_JSON : 'application/json';
  res.status(status).type(type).send(JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
}

/**
 * A /ksql request's statements, run as executeStatements runs them but
 * without holding the event loop: the text is parsed by a StatementParser
 * (the server's parse pool takes long texts off the event loop), and between
 * statements the loop is given back once a run of them has taken TURN_MS,
 * so a request of thousands of short statements lets other clients in.
 * Each statement runs whole, as in ksqlDB, where other requests' statements
 * may come between those of one request too.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StatementParser } from '../parser/parse-pool.js';
import type { KsqlEngine } from './engine.js';
import type { KsqlEntity } from './entities.js';
import { executeStatement, type Session } from './execute-statement.js';
import { substitutedText } from './substituted-text.js';

const TURN_MS = 20;

/**
 * Runs every statement of `sql` in order; stops at the first failure.
 * `results` receives each entity as it is made (see executeStatements).
 */
export async function executeRequest(engine: KsqlEngine, sql: string, session: Session, parser: StatementParser, results: KsqlEntity[] = []): Promise<KsqlEntity[]> {
  const text = substitutedText(engine, sql, session.properties, session.variables);
  const statements = await parser.parse(text, { limits: engine.config.parseLimits });
  let turnStart = performance.now();
  for (const statement of statements) {
    if (performance.now() - turnStart > TURN_MS) {
      await nextTurn();
      turnStart = performance.now();
    }
    results.push(executeStatement(engine, statement, session));
  }
  return results;
}

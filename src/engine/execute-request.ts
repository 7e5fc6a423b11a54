/**
 * A /ksql request's statements, run as executeStatements runs them but
 * without holding the event loop: the text is parsed by a StatementParser
 * (the server's parse pool takes long texts off the event loop), between
 * statements the loop is given back once a run of them has taken TURN_MS,
 * so a request of thousands of short statements lets other clients in, and
 * an ASSERT TOPIC or SCHEMA waits (awaiting between its checks) until it
 * holds or its timeout has passed; a failed assertion is the request's error,
 * without its statement, as in ksqlDB. Each statement runs whole, as in
 * ksqlDB, where other requests' statements may come between those of one
 * request too.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isPromise } from '../common/maybe-async.js';
import type { StatementParser } from '../parser/parse-pool.js';
import type { EnginePorts } from './engine-ports.js';
import type { KsqlEntity } from './entities.js';
import { executeStatement } from './execute-statement.js';
import { withVariables, type Session } from './session.js';
import { awaitAssertion, isAssertStatement } from './statements/assert-resource.js';

const TURN_MS = 20;

/**
 * Runs every statement of `sql` in order; stops at the first failure.
 * `results` receives each entity as it is made (see executeStatements).
 */
export async function executeRequest(ports: EnginePorts, sql: string, session: Session, parser: StatementParser, results: KsqlEntity[] = []): Promise<KsqlEntity[]> {
  const text = withVariables(sql, session.variables, ports.config.withOverrides(session.properties));
  const statements = await parser.parse(text, { limits: ports.config.parseLimits });
  let turnStart = performance.now();
  for (const statement of statements) {
    if (performance.now() - turnStart > TURN_MS) {
      await nextTurn();
      turnStart = performance.now();
    }
    if (isAssertStatement(statement)) {
      results.push(await awaitAssertion(ports, statement, ports.config.withOverrides(session.properties)));
      turnStart = performance.now();
    } else {
      // Awaited only when it waits on the log: the embedded log's statements run without a turn of the event loop each.
      const entity = executeStatement(ports, statement, session);
      results.push(isPromise(entity) ? await entity : entity);
    }
  }
  return results;
}

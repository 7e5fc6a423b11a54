/**
 * Runs ASSERT TOPIC and ASSERT SCHEMA as ksqlDB does: the check is retried
 * every 100 ms until it holds or the statement's TIMEOUT (else
 * `ksql.assert.topic.default.timeout.ms` / `ksql.assert.schema.default.timeout.ms`)
 * has passed, and then fails with error 41700 and the last check's message.
 * The wait is asynchronous, so what the server does meanwhile (a statement
 * of another request, a Kafka client creating the topic) can make it hold.
 * A caller that cannot wait (`checkAssertionNow`) checks once.
 */
import { KsqlError } from '../../common/errors.js';
import { durationToMillis } from '../../parser/ast/duration.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import { assertSchemaEntity, checkSchema } from './assert-schema.js';
import { assertTopicEntity, checkTopic } from './assert-topic.js';
import type { KsqlConfig } from '../config.js';
import type { EnginePorts } from '../engine-ports.js';
import type { AssertSchemaEntity, AssertTopicEntity } from '../entities.js';

export type AssertStatement = StatementOfKind<'AssertTopic'> | StatementOfKind<'AssertSchema'>;

const RETRY_MS = 100;

export function isAssertStatement(stmt: { readonly kind: string }): stmt is AssertStatement {
  return stmt.kind === 'AssertTopic' || stmt.kind === 'AssertSchema';
}

/** Retries the assertion until it holds (its entity) or its timeout has passed (throws ASSERTION_FAILED). */
export async function awaitAssertion(ports: Pick<EnginePorts, 'log' | 'catalog'>, stmt: AssertStatement, config: KsqlConfig): Promise<AssertTopicEntity | AssertSchemaEntity> {
  // ksqlDB makes one attempt plus one retry per whole 100 ms of the timeout.
  const retries = Math.floor(timeoutMs(stmt, config) / RETRY_MS);
  let failure = check(ports, stmt);
  for (let retry = 0; failure !== undefined && retry < retries; retry += 1) {
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    failure = check(ports, stmt);
  }
  if (failure !== undefined) throw new KsqlError('ASSERTION_FAILED', failure);
  return entity(stmt);
}

/** One check, no waiting. */
export function checkAssertionNow(ports: Pick<EnginePorts, 'log' | 'catalog'>, stmt: AssertStatement): AssertTopicEntity | AssertSchemaEntity {
  const failure = check(ports, stmt);
  if (failure !== undefined) throw new KsqlError('ASSERTION_FAILED', failure);
  return entity(stmt);
}

function check(ports: Pick<EnginePorts, 'log' | 'catalog'>, stmt: AssertStatement): string | undefined {
  return stmt.kind === 'AssertTopic' ? checkTopic(ports, stmt) : checkSchema(ports, stmt);
}

function entity(stmt: AssertStatement): AssertTopicEntity | AssertSchemaEntity {
  return stmt.kind === 'AssertTopic' ? assertTopicEntity(stmt) : assertSchemaEntity(stmt);
}

function timeoutMs(stmt: AssertStatement, config: KsqlConfig): number {
  if (stmt.timeout !== undefined) return durationToMillis(stmt.timeout);
  const name = stmt.kind === 'AssertTopic' ? 'ksql.assert.topic.default.timeout.ms' : 'ksql.assert.schema.default.timeout.ms';
  return config.getInteger(name) ?? 1000;
}

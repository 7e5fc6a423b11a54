/**
 * ASSERT [NOT EXISTS] TOPIC: whether the topic exists, and for an existence
 * assertion whether the PARTITIONS and REPLICAS written in its WITH clause
 * match (any other property fails the assertion, as in ksqlDB; a NOT EXISTS
 * assertion checks no property). Each check answers the failure's message,
 * or undefined when the assertion holds; assert-resource.ts retries it.
 */
import type { Literal } from '../../parser/ast/expression.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import { printExpression } from '../../parser/printer/print-expression.js';
import type { EnginePorts } from '../engine-ports.js';
import type { AssertTopicEntity } from '../entities.js';

export function assertTopicEntity(stmt: StatementOfKind<'AssertTopic'>): AssertTopicEntity {
  return { '@type': 'assert_topic', statementText: stmt.text, topicName: stmt.topic, exists: stmt.exists, warnings: [] };
}

export function checkTopic(ports: Pick<EnginePorts, 'log'>, stmt: StatementOfKind<'AssertTopic'>): string | undefined {
  const exists = ports.log.topics.hasTopic(stmt.topic);
  if (!stmt.exists) return exists ? `Topic ${stmt.topic} exists` : undefined;
  if (!exists) return `Topic ${stmt.topic} does not exist`;
  // The embedded log keeps one copy of each partition: a replication factor of 1.
  const actual = { PARTITIONS: ports.log.topics.describeTopic(stmt.topic).partitions.length, REPLICAS: 1 };
  const errors = stmt.properties.map((p) => {
    const name = p.name.toUpperCase();
    if (name !== 'PARTITIONS' && name !== 'REPLICAS') return `Cannot assert unknown topic property: ${p.name}`;
    const expected = actual[name];
    // Only an INTEGER literal can match, as ksqlDB compares the literal's Java value with an int.
    if (p.value.kind === 'IntegerLiteral' && p.value.value === expected) return undefined;
    return `Mismatched configuration for topic ${stmt.topic}: For config ${name.toLowerCase()}, expected ${literalText(p.value)} got ${expected}`;
  }).filter((e) => e !== undefined);
  return errors.length === 0 ? undefined : errors.join('\n');
}

/** The literal's value as text (Java's toString of it): a string without its quotes. */
function literalText(literal: Literal): string {
  switch (literal.kind) {
    case 'StringLiteral': return literal.value;
    case 'IntegerLiteral':
    case 'BigIntLiteral':
    case 'BooleanLiteral': return String(literal.value);
    case 'DecimalLiteral':
    case 'DoubleLiteral': return literal.text;
    case 'NullLiteral': return 'null';
    default: return printExpression(literal);
  }
}

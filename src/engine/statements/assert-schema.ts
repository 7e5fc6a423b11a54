/**
 * ASSERT [NOT EXISTS] SCHEMA [SUBJECT s] [ID n]: whether the registry has
 * the schema. As in ksqlDB, an id is looked up by id (a subject given with
 * it only picks the registry context, and ksqlite's registry has one) and a
 * subject alone by its latest version. A registry that cannot answer fails
 * the check with "Cannot check schema existence: ...". The check answers
 * the failure's message, or undefined when the assertion holds;
 * assert-resource.ts retries it.
 */
import type { StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import type { AssertSchemaEntity } from '../entities.js';

export function assertSchemaEntity(stmt: StatementOfKind<'AssertSchema'>): AssertSchemaEntity {
  return { '@type': 'assert_schema', statementText: stmt.text, subject: stmt.subject ?? null, id: stmt.id ?? null, exists: stmt.exists, warnings: [] };
}

export function checkSchema(ports: Pick<EnginePorts, 'catalog'>, stmt: StatementOfKind<'AssertSchema'>): string | undefined {
  const registry = ports.catalog.schemaRegistry;
  if (registry === undefined) return 'Cannot check schema existence: no Schema Registry is configured (ksql.schema.registry.url)';
  let exists: boolean;
  try {
    exists = stmt.id !== undefined ? registry.schemaById(stmt.id) !== undefined : registry.latest(stmt.subject!) !== undefined;
  } catch (error) {
    return `Cannot check schema existence: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (exists === stmt.exists) return undefined;
  const subject = stmt.subject === undefined ? '' : ` subject name ${stmt.subject}`;
  const id = stmt.id === undefined ? '' : ` id ${stmt.id}`;
  return `Schema with${subject}${id} ${exists ? 'exists' : 'does not exist'}`;
}

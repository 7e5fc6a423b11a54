/**
 * ksqlDB registers the schema of a source it declares with columns, and of
 * a query's sink, when the statement runs (its SchemaRegisterInjector):
 * under `<topic>-key` / `<topic>-value`, for the sides whose format keeps
 * schemas in a registry, unless the statement names a schema id or the
 * columns came from the registry. A refusal (an incompatible schema) fails
 * the statement, and so does a schema-based format when the engine has no
 * registry. A CREATE STREAM/TABLE registers only under a subject that has
 * no schema yet (`alsoWhenSubjectExists` false): declaring a source on a
 * topic whose producers registered their schema leaves it as it is.
 */
import { statementError } from '../common/errors.js';
import { lookupFormat, SCHEMA_ID_PROPERTY, subjectOf, type SchemaRegistryClient, type SerdeTarget } from '../formats/index.js';
import type { DataSource } from '../catalog/data-source.js';
import type { Column } from '../schema/logical-schema.js';
import { formattedValueColumns } from './source-formats.js';

/** A schema the engine registers for one side of a source's topic. */
export interface SourceSchema {
  readonly subject: string;
  readonly schemaType: string;
  readonly schema: string;
}

export function registerSourceSchemas(
  source: DataSource, registry: SchemaRegistryClient | undefined, inferred: { readonly key: boolean; readonly value: boolean },
  alsoWhenSubjectExists: boolean,
): void {
  for (const target of ['key', 'value'] as const satisfies readonly SerdeTarget[]) {
    if (inferred[target] || !keepsSchemaInRegistry(source, target)) continue;
    if (registry === undefined) {
      throw statementError(
        `Cannot use format ${lookupFormat(sideFormat(source, target).format).name} for topic '${source.topic}' without a Schema Registry.`,
      );
    }
    const side = sourceSchema(source, target);
    if (side === undefined) continue;
    try {
      // Asking the registry whether the subject exists fails as registering would (a registry out of reach).
      if (alsoWhenSubjectExists || registry.latest(side.subject) === undefined) registry.register(side.subject, side.schemaType, side.schema);
    } catch (error) {
      throw statementError(`Could not register schema for topic: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * The schemas a source declared with columns registers, key first: those of
 * the sides whose format keeps schemas in a registry and that name no schema id.
 */
export function declaredSourceSchemas(source: DataSource): SourceSchema[] {
  return (['key', 'value'] as const).flatMap((target) => {
    const side = keepsSchemaInRegistry(source, target) ? sourceSchema(source, target) : undefined;
    return side === undefined ? [] : [side];
  });
}

function sideFormat(source: DataSource, target: SerdeTarget): DataSource['keyFormat'] {
  return target === 'key' ? source.keyFormat : source.valueFormat;
}

function sideColumns(source: DataSource, target: SerdeTarget): readonly Column[] {
  return target === 'key' ? source.schema.key : formattedValueColumns(source.schema);
}

function keepsSchemaInRegistry(source: DataSource, target: SerdeTarget): boolean {
  const format = lookupFormat(sideFormat(source, target).format);
  return format.registrySchema !== undefined && format.registrySchemaType !== undefined && sideColumns(source, target).length > 0;
}

function sourceSchema(source: DataSource, target: SerdeTarget): SourceSchema | undefined {
  const info = sideFormat(source, target);
  if (info.properties[SCHEMA_ID_PROPERTY] !== undefined) return undefined;
  const format = lookupFormat(info.format);
  const schema = format.registrySchema!({ target, columns: sideColumns(source, target), properties: info.properties, features: info.features });
  return { subject: subjectOf(source.topic, target), schemaType: format.registrySchemaType!, schema };
}

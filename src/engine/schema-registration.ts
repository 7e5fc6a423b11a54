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
import { formattedValueColumns } from './source-formats.js';

export function registerSourceSchemas(
  source: DataSource, registry: SchemaRegistryClient | undefined, inferred: { readonly key: boolean; readonly value: boolean },
  alsoWhenSubjectExists: boolean,
): void {
  for (const target of ['key', 'value'] as const satisfies readonly SerdeTarget[]) {
    if (inferred[target]) continue;
    const info = target === 'key' ? source.keyFormat : source.valueFormat;
    const columns = target === 'key' ? source.schema.key : formattedValueColumns(source.schema);
    const format = lookupFormat(info.format);
    if (format.registrySchema === undefined || format.registrySchemaType === undefined || columns.length === 0) continue;
    if (registry === undefined) {
      throw statementError(
        `Cannot use format ${format.name} for topic '${source.topic}' without a Schema Registry.`,
      );
    }
    if (info.properties[SCHEMA_ID_PROPERTY] !== undefined) continue;
    const subject = subjectOf(source.topic, target);
    const schema = format.registrySchema({ target, columns, properties: info.properties, features: info.features });
    try {
      // Asking the registry whether the subject exists fails as registering would (a registry out of reach).
      if (alsoWhenSubjectExists || registry.latest(subject) === undefined) registry.register(subject, format.registrySchemaType, schema);
    } catch (error) {
      throw statementError(`Could not register schema for topic: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * The formats' registry client over the embedded store, in-process: the
 * engine and the REST API see the same subjects and ids.
 */
import type { RegisteredSchema, SchemaRegistryClient } from '../formats/schema-registry-client.js';
import { isSchemaType } from './schema-content.js';
import { RegistryError } from './registry-error.js';
import type { SchemaStore } from './schema-store.js';

export function storeRegistryClient(store: SchemaStore): SchemaRegistryClient {
  return {
    register(subject, schemaType, schema, id, references = []) {
      if (!isSchemaType(schemaType)) throw new Error(`Unknown schema type: ${schemaType}`);
      try {
        return store.register(subject, { schema, schemaType, references }, id);
      } catch (error) {
        // A refusal reads as a Confluent client's over the REST API (RestClientException): the message and its error code.
        if (error instanceof RegistryError) throw new Error(`${error.message}; error code: ${error.errorCode}`, { cause: error });
        throw error;
      }
    },
    schemaById(id) {
      return orUndefined(() => {
        const content = store.schemaById(id);
        return { id, schemaType: content.schemaType, schema: content.schema, references: store.referencedSchemas(content.references) };
      });
    },
    latest(subject) {
      return orUndefined((): RegisteredSchema => {
        const v = store.getVersion(subject, 'latest');
        return { id: v.id, schemaType: v.schemaType, schema: v.schema, references: store.referencedSchemas(v.references), version: v.version };
      });
    },
  };
}

/** A registry "not found" answer as undefined; any other failure propagates. */
function orUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof RegistryError && error.httpStatus === 404) return undefined;
    throw error;
  }
}

/** An in-memory SchemaRegistryClient for serde tests: ids from 1, one list of versions per subject. */
import type { RegisteredSchema, SchemaRegistryClient } from '../../../src/formats/index.js';

export interface MemoryRegistry extends SchemaRegistryClient {
  readonly subjects: Map<string, RegisteredSchema[]>;
}

export function memoryRegistry(): MemoryRegistry {
  const byId = new Map<number, RegisteredSchema>();
  const subjects = new Map<string, RegisteredSchema[]>();
  return {
    subjects,
    register(subject, schemaType, schema, id) {
      const versions = subjects.get(subject) ?? [];
      const same = [...byId.values()].find((s) => s.schema === schema && s.schemaType === schemaType);
      const entry = same ?? { id: id ?? byId.size + 1, schemaType, schema };
      byId.set(entry.id, entry);
      if (!versions.includes(entry)) versions.push(entry);
      subjects.set(subject, versions);
      return entry.id;
    },
    schemaById: (id) => byId.get(id),
    latest: (subject) => subjects.get(subject)?.at(-1),
  };
}

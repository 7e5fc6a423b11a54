/**
 * A Schema Registry client for trying statements out (ksqlDB's sandboxed
 * client): reads go to the real registry first, registrations stay in this
 * object. A registered schema gets an id counted down from the largest int,
 * so it never meets a real one; a subject is registered at most once here,
 * and no compatibility is checked (as in ksqlDB, the real registration does).
 */
import type { RegisteredSchema, SchemaRegistryClient } from './schema-registry-client.js';

export function sandboxRegistryClient(real: SchemaRegistryClient): SchemaRegistryClient {
  let nextId = 2_147_483_647;
  const bySubject = new Map<string, RegisteredSchema>();
  const byId = new Map<number, RegisteredSchema>();
  return {
    register(subject, schemaType, schema) {
      if (bySubject.has(subject)) throw new Error(`Subject '${subject}' already in use.`);
      const registered: RegisteredSchema = { id: nextId--, schemaType, schema, version: 1 };
      bySubject.set(subject, registered);
      byId.set(registered.id, registered);
      return registered.id;
    },
    schemaById: (id) => real.schemaById(id) ?? byId.get(id),
    latest: (subject) => real.latest(subject) ?? bySubject.get(subject),
  };
}

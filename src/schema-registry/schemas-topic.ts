/**
 * The registry's durable form: a compacted `_schemas` topic in the embedded
 * log, as Confluent keeps it. Keys are JSON naming what a record is about
 * (`{"keytype":"SCHEMA","subject":..,"version":..,"magic":1}`,
 * `{"keytype":"CONFIG","subject":..,"magic":0}`, the global config without a
 * subject); values are the schema version or config, or null (a tombstone)
 * when it was permanently deleted, so compaction keeps exactly what is live.
 * One more key of our own, `{"keytype":"NEXT_ID","magic":0}`, keeps the next
 * free schema id, so an id stays used after its schemas are deleted and compacted away.
 */
import type { Broker, ProducerRecord } from '../broker/index.js';
import type { Logger } from '../common/logger.js';
import { isCompatibilityLevel, type CompatibilityLevel } from './compatibility-level.js';
import { isSchemaType, type SchemaReference, type SchemaType } from './schema-content.js';

export const SCHEMAS_TOPIC = '_schemas';

/** One version of a subject, as stored. */
export interface StoredVersion {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schema: string;
  readonly schemaType: SchemaType;
  readonly references: readonly SchemaReference[];
  /** Soft-deleted: hidden unless asked for, kept until a permanent delete. */
  readonly deleted: boolean;
}

export type SchemasRecord =
  | { readonly kind: 'schema'; readonly subject: string; readonly version: number; readonly value: StoredVersion | null }
  | { readonly kind: 'config'; readonly subject: string | null; readonly level: CompatibilityLevel | null }
  | { readonly kind: 'nextId'; readonly next: number };

/** Creates the topic on first use: one partition, so its order is the order of the writes. */
export function ensureSchemasTopic(broker: Broker): void {
  broker.createTopic(SCHEMAS_TOPIC, { partitions: 1, ifNotExists: true, config: { 'cleanup.policy': 'compact' } });
}

export function encodeSchemasRecord(record: SchemasRecord): ProducerRecord {
  switch (record.kind) {
    case 'schema': {
      const key = { keytype: 'SCHEMA', subject: record.subject, version: record.version, magic: 1 };
      const v = record.value;
      const value =
        v === null
          ? null
          : {
              subject: v.subject,
              version: v.version,
              id: v.id,
              schema: v.schema,
              ...(v.schemaType === 'AVRO' ? {} : { schemaType: v.schemaType }),
              ...(v.references.length === 0 ? {} : { references: v.references }),
              deleted: v.deleted,
            };
      return { key: json(key), value: value === null ? null : json(value) };
    }
    case 'config': {
      const key = record.subject === null ? { keytype: 'CONFIG', magic: 0 } : { keytype: 'CONFIG', subject: record.subject, magic: 0 };
      return { key: json(key), value: record.level === null ? null : json({ compatibilityLevel: record.level }) };
    }
    case 'nextId':
      return { key: json({ keytype: 'NEXT_ID', magic: 0 }), value: json({ next: record.next }) };
  }
}

/** Calls `apply` with every record of the topic in order; a record that cannot be read is logged and skipped. */
export function replaySchemasTopic(broker: Broker, apply: (record: SchemasRecord) => void, log: Logger): void {
  let offset = broker.earliestOffset(SCHEMAS_TOPIC, 0);
  const end = broker.latestOffset(SCHEMAS_TOPIC, 0);
  while (offset < end) {
    const { records, nextOffset } = broker.fetch(SCHEMAS_TOPIC, 0, offset, { maxRecords: 1000 });
    for (const r of records) {
      const decoded = decodeSchemasRecord(r.key, r.value);
      if (typeof decoded === 'string') log.warn({ offset: r.offset, reason: decoded }, 'skipped a record of _schemas that cannot be read');
      else if (decoded !== undefined) apply(decoded);
    }
    offset = nextOffset;
  }
}

/** The record, undefined for a key type we do not keep (Confluent's NOOP and others), or why it cannot be read. */
function decodeSchemasRecord(keyBytes: Buffer | null, valueBytes: Buffer | null): SchemasRecord | undefined | string {
  const key = parseJson(keyBytes);
  const value = valueBytes === null ? null : parseJson(valueBytes);
  if (!isObject(key) || value === undefined) return 'key or value is not JSON';
  switch (key['keytype']) {
    case 'SCHEMA': {
      const { subject, version } = key;
      if (typeof subject !== 'string' || !isVersionNumber(version)) return 'a SCHEMA key without subject and version';
      if (value === null) return { kind: 'schema', subject, version, value: null };
      const stored = readStoredVersion(value);
      if (stored === undefined || stored.subject !== subject || stored.version !== version) return 'a SCHEMA value that does not match its key';
      return { kind: 'schema', subject, version, value: stored };
    }
    case 'CONFIG': {
      const subject = key['subject'] ?? null;
      if (subject !== null && typeof subject !== 'string') return 'a CONFIG key with a bad subject';
      if (value === null) return { kind: 'config', subject, level: null };
      const level = isObject(value) ? value['compatibilityLevel'] : undefined;
      if (!isCompatibilityLevel(level)) return 'a CONFIG value without a compatibility level';
      return { kind: 'config', subject, level };
    }
    case 'NEXT_ID': {
      const next = isObject(value) ? value['next'] : undefined;
      if (!isVersionNumber(next)) return 'a NEXT_ID value without a number';
      return { kind: 'nextId', next };
    }
    default:
      return undefined;
  }
}

function readStoredVersion(value: unknown): StoredVersion | undefined {
  if (!isObject(value)) return undefined;
  const { subject, version, id, schema, deleted } = value;
  const schemaType = value['schemaType'] ?? 'AVRO';
  const references = value['references'] ?? [];
  if (typeof subject !== 'string' || !isVersionNumber(version) || !isVersionNumber(id) || typeof schema !== 'string') return undefined;
  if (!isSchemaType(schemaType) || !Array.isArray(references) || !references.every(isReference)) return undefined;
  // AVRO and JSON schemas are JSON text: the store compares them parsed.
  if (schemaType !== 'PROTOBUF' && parseJson(Buffer.from(schema)) === undefined) return undefined;
  return { subject, version, id, schema, schemaType, references, deleted: deleted === true };
}

function isReference(value: unknown): value is SchemaReference {
  if (!isObject(value)) return false;
  const { name, subject, version } = value;
  return typeof name === 'string' && typeof subject === 'string' && (isVersionNumber(version) || version === -1);
}

function isVersionNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function parseJson(bytes: Buffer | null): unknown {
  if (bytes === null) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

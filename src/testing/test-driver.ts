/**
 * The conformance test driver (see ../shared/conformance/README.md): the
 * server's engine, broker, serdes and operators on a temporary data
 * directory, with one difference: after every statement and every input
 * record, every task runs until nothing is left to do, so results are
 * deterministic, as with Kafka Streams' TopologyTestDriver. An error the
 * operators do not route to the processing log (a bug) stops its query as on
 * the server, and the driver rethrows it, so the case fails visibly.
 *
 * Test records carry keys and values as JSON text; the driver turns them
 * into record bytes with the formats of the source declared on the topic,
 * and renders what it reads back as JSON text with the sink's formats.
 * Keys of windowed sources and sinks carry their window after the key bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedBroker, type EmbeddedBroker } from '../broker/index.js';
import { KsqlConfig, type PropertyValue } from '../engine/config.js';
import type { DataSource, FormatInfo } from '../catalog/data-source.js';
import { KsqlEngine } from '../engine/engine.js';
import { newSession } from '../engine/session.js';
import type { Session } from '../engine/session.js';
import { declareSource, formattedValueColumns } from '../engine/source-ddl.js';
import { declaredSourceSchemas } from '../engine/schema-registration.js';
import { parseStatements } from '../parser/index.js';
import type { Statement } from '../parser/ast/statement.js';
import { javaHashMapOrder } from './java-hash-order.js';
import type avro from 'avsc';
import {
  appendWindow, avroType, chooseMessage, confluentFrame, confluentProtobufFrame, jsonToAvro, createJsonSerde, createSerde, FULL_SCHEMA_NAME_PROPERTY,
  jsonToValue, lookupFormat, messageIndexes, parseJsonText, parseProtoFile, SCHEMA_ID_PROPERTY, splitWindow, subjectOf, toProtoObject, valueToJsonText,
  type CreateSerdeOptions, type ProtoFile, type SchemaReferenceSpec, type SchemaRegistryClient, type SerdeSpec,
} from '../formats/index.js';
import { SchemaStore } from '../schema-registry/schema-store.js';
import { storeRegistryClient } from '../schema-registry/store-client.js';
import { createFunctionRegistry } from '../functions/builtin-functions.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { registerTestUdafs } from './test-udafs.js';
import { registerTestUdfs } from './test-udfs.js';
import { registerTestUdtfs } from './test-udtfs.js';
import { Scheduler } from '../runtime/scheduler.js';
import type { Column } from '../schema/logical-schema.js';
import { formatLogicalSchema } from '../schema/logical-schema.js';

/** Where the ids of schemas registered only as references start (see registerProtobuf). */
const REFERENCE_IDS_FROM = 1_000_000;

export interface TestRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp: number;
  readonly headers: readonly { readonly key: string; readonly value: string | null }[];
  readonly window?: { readonly start: number; readonly end: number; readonly type: string };
}

/** A record of a source's topic as column values. */
export interface SourceRecord {
  readonly key: readonly unknown[];
  /** The value columns (without headers); null for a tombstone. */
  readonly value: readonly unknown[] | null;
  readonly timestamp: number;
}

export interface OutputRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp: number;
  readonly headers: { key: string; value: string | null }[];
  /** The window of a windowed sink's key; 'time' for TUMBLING and HOPPING. */
  readonly window?: { readonly start: number; readonly end: number; readonly type: 'time' | 'session' };
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions?: number;
  readonly keyFormat?: string;
  readonly valueFormat?: string;
  readonly format?: string;
  /** Schemas the test registers under `<name>-key` / `<name>-value`: JSON of an Avro or JSON Schema, or schema text. */
  readonly keySchema?: unknown;
  readonly valueSchema?: unknown;
  /** The ids the test gives those schemas. */
  readonly keySchemaId?: number;
  readonly valueSchemaId?: number;
  /** Schemas the value schema imports (PROTOBUF files), registered under their names first. */
  readonly keySchemaReferences?: readonly TopicSchemaReference[];
  readonly valueSchemaReferences?: readonly TopicSchemaReference[];
}

export interface TopicSchemaReference {
  readonly name: string;
  readonly format?: string;
  readonly schema: string;
}

/** One side of a record as the driver converts it: the format and its columns. */
interface Side {
  readonly format: FormatInfo;
  readonly columns: readonly Column[];
  /** The schema the test registered for this side of the topic: test records are written with it. */
  readonly registered?: RegisteredWriter;
  /** The id of the JSON Schema the test registered for this side: JSON_SR records carry it. */
  readonly registeredJsonId?: number;
}

type RegisteredWriter =
  | { readonly format: 'AVRO'; readonly id: number; readonly type: avro.Type }
  | { readonly format: 'PROTOBUF'; readonly id: number; readonly file: ProtoFile };

export class TestDriver {
  private readonly dir: string;
  private readonly broker: EmbeddedBroker;
  private readonly scheduler = new Scheduler({
    onError: (_task, error) => {
      throw error;
    },
  });
  readonly engine: KsqlEngine;
  private readonly session: Session;
  private readonly topicFormats = new Map<string, TopicSpec>();
  private readonly registry: SchemaRegistryClient;
  /** Writer schemas the test registered, by `<topic>-key` / `<topic>-value`. */
  private readonly registered = new Map<string, RegisteredWriter>();
  /** Ids of the JSON Schemas the test registered, by subject. */
  private readonly registeredJson = new Map<string, number>();
  /** Schemas registered as references so far: they take ids from REFERENCE_IDS_FROM on. */
  private referenceCount = 0;
  /** Registrations of test topics' schemas without an id, and of CREATE statements' schemas, waiting (see registerPendingSchemas). */
  private readonly pendingSchemas = new Map<string, { key?: () => void; value?: () => void }>();
  /** Names of the test's topics, then of the topics its CREATE statements declare, as the driver learnt them. */
  private readonly knownTopics: string[] = [];
  /** The highest id a topic schema of the test took. */
  private lastTopicSchemaId = 0;
  /** Lines of the statements executed so far: a test's statements are one script, one after another. */
  private scriptLines = 0;
  /**
   * Every append in the order the log took it, with its partition's end
   * offset after it: read() gives a topic's records in the order they were
   * written across its partitions, as TopologyTestDriver's output topics do.
   */
  private readonly appends: { readonly topic: string; readonly partition: number; readonly end: number }[] = [];

  /**
   * `functions`: the registry the engine uses (default: the built-ins and
   * ksqlDB's test functions); `tempDir`: where the data directory is made.
   */
  constructor(properties: Record<string, PropertyValue>, options: { readonly functions?: FunctionRegistry; readonly tempDir?: string } = {}) {
    this.dir = mkdtempSync(join(options.tempDir ?? tmpdir(), 'ksqlite-test-'));
    this.broker = openEmbeddedBroker({ dataDir: this.dir });
    this.broker.onAppend((topic, partition) => this.appends.push({ topic, partition, end: this.broker.logEndOffset(topic, partition) }));
    const store = SchemaStore.open(this.broker);
    // ksqlDB's test runner registers schemas in a mock registry that checks no compatibility.
    store.setLevel(null, 'NONE');
    this.registry = storeRegistryClient(store);
    // ksqlDB's test executor runs with these settings (its internal topics are named after the service id).
    const config = new KsqlConfig({ 'auto.offset.reset': 'earliest', 'ksql.service.id': 'some.ksql.service.id', ...properties });
    this.engine = new KsqlEngine({
      broker: this.broker, config, functions: options.functions ?? registerTestUdtfs(registerTestUdfs(registerTestUdafs(createFunctionRegistry()))), scheduler: this.scheduler, autoCreateSourceTopics: true,
      schemaRegistry: this.registry,
    });
    this.session = newSession();
  }

  /**
   * Creates the topic and takes its schemas. As ksqlDB's test runner, the
   * driver registers a schema the test gives an id at once, and the others
   * with the schemas of the CREATE statements that declare columns, in its
   * order (see registerPendingSchemas), just before the first statement
   * or record needs them.
   */
  registerTopic(topic: TopicSpec): void {
    this.broker.createTopic(topic.name, { partitions: topic.partitions ?? 1, ifNotExists: true });
    this.topicFormats.set(topic.name, topic);
    this.knownTopics.push(topic.name);
    for (const target of ['key', 'value'] as const) {
      const schema = target === 'key' ? topic.keySchema : topic.valueSchema;
      if (schema === undefined) continue;
      const id = target === 'key' ? topic.keySchemaId : topic.valueSchemaId;
      const register = (): void => this.registerTopicSchema(topic, target, schema, id);
      if (id !== undefined) register();
      else this.pendingSchemas.set(topic.name, { ...this.pendingSchemas.get(topic.name), [target]: register });
    }
  }

  private registerTopicSchema(topic: TopicSpec, target: 'key' | 'value', schema: unknown, id: number | undefined): void {
    const format = (target === 'key' ? topic.keyFormat : topic.valueFormat) ?? topic.format ?? 'AVRO';
    const subject = subjectOf(topic.name, target);
    if (format.toUpperCase() === 'PROTOBUF') {
      this.registerProtobuf(subject, String(schema), id, (target === 'key' ? topic.keySchemaReferences : topic.valueSchemaReferences) ?? []);
      return;
    }
    if (JSON_SCHEMA_FORMATS.has(format.toUpperCase())) {
      const registeredId = this.registry.register(subject, 'JSON', typeof schema === 'string' ? schema : JSON.stringify(schema), id);
      this.lastTopicSchemaId = Math.max(this.lastTopicSchemaId, registeredId);
      this.registeredJson.set(subject, registeredId);
      return;
    }
    if (format.toUpperCase() !== 'AVRO') return;
    const text = typeof schema === 'string' && !schema.trim().startsWith('{') && !schema.trim().startsWith('[') ? JSON.stringify(schema) : typeof schema === 'string' ? schema : JSON.stringify(schema);
    const registeredId = this.registry.register(subject, 'AVRO', text, id);
    this.lastTopicSchemaId = Math.max(this.lastTopicSchemaId, registeredId);
    this.registered.set(subject, { format: 'AVRO', id: registeredId, type: avroType(text) });
  }

  /**
   * Registers the schemas still waiting, with those of the CREATE statements
   * in `sql` that declare columns, as ksqlDB's test runner does before any
   * statement runs: it gathers the test's topics and the topics of its
   * CREATE statements in a Java HashMap by name (a test topic's schema wins
   * over its statement's), then registers each topic's key and value schema
   * in the map's order, so a schema's id depends on its topic's name. The
   * driver sees one statement at a time: topics of later statements take
   * their ids after these.
   */
  private registerPendingSchemas(sql?: string): void {
    if (sql !== undefined) {
      for (const stmt of this.parseQuietly(sql)) {
        if ((stmt.kind !== 'CreateStream' && stmt.kind !== 'CreateTable') || stmt.elements.length === 0) continue;
        let source: DataSource;
        try {
          source = declareSource(stmt, this.engine.metastore, this.engine.config.withOverrides(this.session.properties)).source;
        } catch {
          // The statement fails when it runs; ksqlDB's runner registers nothing for it either.
          continue;
        }
        const pending = { ...this.pendingSchemas.get(source.topic) };
        for (const side of declaredSourceSchemas(source)) {
          const target = side.subject.endsWith('-key') ? 'key' : 'value';
          pending[target] ??= () => {
            if (this.registry.latest(side.subject) === undefined) this.registry.register(side.subject, side.schemaType, side.schema);
          };
        }
        this.knownTopics.push(source.topic);
        this.pendingSchemas.set(source.topic, pending);
      }
    }
    for (const topic of javaHashMapOrder(this.knownTopics)) {
      const pending = this.pendingSchemas.get(topic);
      if (pending === undefined) continue;
      this.pendingSchemas.delete(topic);
      pending.key?.();
      pending.value?.();
    }
  }

  private parseQuietly(sql: string): Statement[] {
    try {
      return parseStatements(sql);
    } catch {
      return [];
    }
  }

  /**
   * A Protobuf schema and the files it imports, each registered under its
   * import name. ksqlDB's runner hands the imported files to its mock
   * registry inside the schema, so they take no id there and a test's ids
   * count its topic schemas only: ours take ids from a range tests do not use,
   * and the schema itself the id it would have had without them.
   */
  private registerProtobuf(subject: string, schema: string, id: number | undefined, references: readonly TopicSchemaReference[]): void {
    const specs: SchemaReferenceSpec[] = references.map((r) => {
      const known = this.registry.latest(r.name);
      if (known === undefined || known.schema !== r.schema) {
        this.registry.register(r.name, r.format ?? 'PROTOBUF', r.schema, REFERENCE_IDS_FROM + this.referenceCount++);
      }
      return { name: r.name, subject: r.name, version: this.registry.latest(r.name)!.version! };
    });
    const wanted = id ?? (specs.length === 0 ? undefined : this.lastTopicSchemaId + 1);
    const registeredId = this.registry.register(subject, 'PROTOBUF', schema, wanted, specs);
    this.lastTopicSchemaId = Math.max(this.lastTopicSchemaId, registeredId);
    this.registered.set(subject, { format: 'PROTOBUF', id: registeredId, file: parseProtoFile(schema, references) });
  }

  /**
   * Executes the next statements of the test's script. Positions in errors
   * count lines from the start of the script, as when ksqlDB runs a test's
   * statements as one text.
   */
  execute(sql: string): unknown {
    this.registerPendingSchemas(sql);
    const offset = '\n'.repeat(this.scriptLines);
    this.scriptLines += sql.split('\n').length;
    const result = this.engine.execute(offset + sql, this.session);
    this.scheduler.runUntilIdle();
    return result;
  }

  /** Runs one statement as written (its errors' positions are its own), then every task until idle. */
  executeStatement(sql: string): unknown {
    this.registerPendingSchemas(sql);
    const result = this.engine.execute(sql, this.session);
    this.scheduler.runUntilIdle();
    return result;
  }

  pipe(record: TestRecord): void {
    this.registerPendingSchemas();
    if (!this.broker.hasTopic(record.topic)) this.broker.createTopic(record.topic, { partitions: 1 });
    const source = this.engine.metastore.sourcesOnTopic(record.topic)[0];
    const registered = (target: 'key' | 'value'): Pick<Side, 'registered' | 'registeredJsonId'> => {
      const subject = subjectOf(record.topic, target);
      return { registered: this.registered.get(subject), registeredJsonId: this.registeredJson.get(subject) };
    };
    let key = source ? encode(record.key, { ...keySide(source), ...registered('key') }, 'key', this.registry) : plainBytes(record.key);
    if (source?.window !== undefined && record.window !== undefined) {
      key = appendWindow(key ?? Buffer.alloc(0), record.window, source.window.type);
    }
    const value = source ? encode(record.value, { ...valueSide(source), ...registered('value') }, 'value', this.registry) : plainBytes(record.value);
    // TopologyTestDriver has no broker to refuse a record without a key on a table's compacted
    // topic: the record reaches the query, which drops it as a table source does. Nothing
    // compacts during a test, so the topic only stops refusing such records.
    if (key === null && this.broker.describeTopic(record.topic).config['cleanup.policy'] !== 'delete') {
      this.broker.alterTopicConfig(record.topic, { 'cleanup.policy': 'delete' });
    }
    this.broker.append(record.topic, [{
      key,
      value,
      timestamp: record.timestamp,
      headers: record.headers.map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value, 'base64') })),
    }]);
    this.scheduler.runUntilIdle();
  }

  read(topic: string): OutputRecord[] {
    this.registerPendingSchemas();
    if (!this.broker.hasTopic(topic)) return [];
    const sources = this.engine.metastore.sourcesOnTopic(topic);
    const sink = sources.find((s) => s.writerQueryId !== undefined) ?? sources[sources.length - 1];
    const sinkKey = sink && writtenSide(keySide(sink), 'key', this.registry);
    const sinkValue = sink && writtenSide(valueSide(sink), 'value', this.registry);
    const out: { readonly record: OutputRecord; readonly written: number }[] = [];
    for (const p of this.broker.describeTopic(topic).partitions) {
      const appends = this.appends.flatMap((a, index) => (a.topic === topic && a.partition === p.partition ? [{ index, end: a.end }] : []));
      let offset = p.logStartOffset;
      for (;;) {
        const batch = this.broker.read(topic, p.partition, offset, { maxRecords: 1000 });
        if (batch.length === 0) break;
        for (const r of batch) {
          const windowed = sink?.window !== undefined && r.key !== null ? splitWindow(r.key, sink.window) : undefined;
          const keyBytes = windowed?.key ?? r.key;
          const record: OutputRecord = {
            key: sinkKey ? decode(keyBytes, sinkKey, 'key', this.registry) : plainText(keyBytes),
            value: sinkValue ? decode(r.value, sinkValue, 'value', this.registry) : plainText(r.value),
            timestamp: r.timestamp,
            headers: r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : h.value.toString('base64') })),
            ...(windowed === undefined ? {} : {
              window: { ...windowed.window, type: sink!.window!.type === 'SESSION' ? 'session' as const : 'time' as const },
            }),
          };
          out.push({ record, written: appends.find((a) => a.end > r.offset)?.index ?? this.appends.length });
          offset = r.offset + 1;
        }
      }
    }
    // Stable: records of one append keep their partition's offset order.
    return out.sort((a, b) => a.written - b.written).map((o) => o.record);
  }

  /**
   * The records of a source's topic as column values (key columns, value
   * columns, null for a tombstone), partition after partition in offset
   * order, read with the source's formats.
   */
  sourceRecords(source: DataSource): SourceRecord[] {
    if (!this.broker.hasTopic(source.topic)) return [];
    const serde = (format: FormatInfo, target: 'key' | 'value', columns: readonly Column[]) => createSerde({
      format: format.format, target, columns, properties: format.properties, features: format.features, topic: source.topic, registry: this.registry,
    });
    const keySerde = serde(source.keyFormat, 'key', source.schema.key);
    const valueSerde = serde(source.valueFormat, 'value', formattedValueColumns(source.schema));
    const out: SourceRecord[] = [];
    for (const p of this.broker.describeTopic(source.topic).partitions) {
      let offset = p.logStartOffset;
      for (;;) {
        const batch = this.broker.read(source.topic, p.partition, offset, { maxRecords: 1000 });
        if (batch.length === 0) break;
        for (const r of batch) {
          const keyBytes = source.window !== undefined && r.key !== null ? (splitWindow(r.key, source.window)?.key ?? r.key) : r.key;
          out.push({ key: keySerde.deserialize(keyBytes) ?? [], value: valueSerde.deserialize(r.value), timestamp: r.timestamp });
          offset = r.offset + 1;
        }
      }
    }
    return out;
  }

  sources(): object[] {
    return this.engine.metastore.listSources().map((s) => ({
      name: s.name,
      type: s.kind,
      schema: formatLogicalSchema(s.schema, { primaryKey: s.kind === 'TABLE' }),
      keyFormat: { format: s.keyFormat.format, windowType: s.window?.type ?? null, windowSize: s.window?.sizeMs ?? null },
      valueFormat: s.valueFormat.format,
    }));
  }

  topics(): string[] {
    return this.broker.listTopics();
  }

  close(): void {
    this.engine.close();
    this.broker.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Topic formats whose test schemas are JSON Schemas (ksqlDB's tests give JSON topics JSON Schemas too). */
const JSON_SCHEMA_FORMATS = new Set(['JSON', 'JSON_SR']);

function keySide(s: DataSource): Side {
  return { format: s.keyFormat, columns: s.schema.key };
}

function valueSide(s: DataSource): Side {
  return { format: s.valueFormat, columns: formattedValueColumns(s.schema) };
}

/**
 * A side written with a schema named by KEY_SCHEMA_ID / VALUE_SCHEMA_ID
 * reads back with that schema's fields, the ones the source does not have
 * too (as written: null or their default), as ksqlDB's test runner reads
 * a topic with the format's own deserializer. Other sides write the schema
 * their columns generate, so their columns read everything written.
 */
function writtenSide(side: Side, target: 'key' | 'value', registry: SchemaRegistryClient): Side {
  const id = side.format.properties[SCHEMA_ID_PROPERTY];
  const format = lookupFormat(side.format.format);
  if (id === undefined || format.schemaColumns === undefined) return side;
  const found = registry.schemaById(Number(id));
  if (found === undefined) return side;
  const fullSchemaName = side.format.properties[FULL_SCHEMA_NAME_PROPERTY];
  const { columns } = format.schemaColumns(found.schema, target, {
    keepNames: true,
    ...(fullSchemaName === undefined ? {} : { fullSchemaName }),
    ...(found.references === undefined ? {} : { references: found.references }),
  });
  const namespace = target === 'key' ? 'KEY' : 'VALUE';
  return { ...side, columns: columns.map((c) => ({ ...c, namespace })) };
}

function plainBytes(text: string | null): Buffer | null {
  return text === null ? null : Buffer.from(text);
}

function plainText(bytes: Buffer | null): string | null {
  if (bytes === null) return null;
  const text = bytes.toString('utf8');
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify(text);
  }
}

/**
 * JSON text of a test record -> record bytes. A JSON null is a null key or a
 * tombstone in every format (the test files' null is Java's null record part).
 * JSON formats take the text as it is; DELIMITED takes the line held by a JSON
 * string; the others convert the JSON to typed column values and serialize them.
 */
function encode(text: string | null, side: Side, target: 'key' | 'value', registry: SchemaRegistryClient): Buffer | null {
  if (text === null || text.trim() === 'null') return null;
  switch (side.format.format) {
    case 'JSON':
      return Buffer.from(text);
    case 'DELIMITED': {
      // A JSON null is a record without a value (a tombstone), not the line "null".
      const node = parseJsonText(text);
      if (node === null) return null;
      return Buffer.from(typeof node === 'string' ? node : text);
    }
    case 'NONE':
      return null;
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR': {
      if (side.registered?.format === 'PROTOBUF') {
        const { id, file } = side.registered;
        const type = chooseMessage(file, side.format.properties[FULL_SCHEMA_NAME_PROPERTY]);
        return confluentProtobufFrame(id, messageIndexes(file, type), type.encode(toProtoObject(type, parseJsonText(text))).finish());
      }
      // A key of NULL fields is a message of defaults, not a null key: the format's own serde writes it.
      const row = createJsonSerde(protobufJsonSpec(side, target)).deserialize(Buffer.from(text));
      const spec = { target, columns: side.columns, properties: side.format.properties, features: side.format.features, registry };
      return lookupFormat(side.format.format).createSerde(spec).serialize(row);
    }
    case 'AVRO': {
      if (side.registered?.format === 'AVRO') {
        const { id, type } = side.registered;
        return confluentFrame(id, type.toBuffer(jsonToAvro(type, parseJsonText(text))));
      }
      const row = createJsonSerde(jsonSpec(side, target)).deserialize(Buffer.from(text));
      return createSerde({ ...serdeOptions(side, target), registry }).serialize(row);
    }
    case 'JSON_SR': {
      // The test's JSON as written behind the id of the schema it registered, else the source's serde.
      if (side.registeredJsonId !== undefined) return confluentFrame(side.registeredJsonId, Buffer.from(text));
      const row = createJsonSerde(jsonSpec(side, target)).deserialize(Buffer.from(text));
      return createSerde({ ...serdeOptions(side, target), registry }).serialize(row);
    }
    default: {
      const serde = createSerde({ format: side.format.format, target, columns: side.columns, properties: side.format.properties, features: side.format.features });
      if (side.columns.length !== 1) return Buffer.from(text);
      return serde.serialize([jsonToValue(parseJsonText(text), side.columns[0]!.type)]);
    }
  }
}

/** Record bytes -> JSON text, the reverse of `encode`. */
function decode(bytes: Buffer | null, side: Side, target: 'key' | 'value', registry: SchemaRegistryClient): string | null {
  if (bytes === null) return null;
  switch (side.format.format) {
    case 'JSON':
      return bytes.toString('utf8');
    case 'DELIMITED':
      return JSON.stringify(bytes.toString('utf8'));
    case 'NONE':
      return null;
    case 'AVRO': {
      const row = createSerde({ ...serdeOptions(side, target), registry }).deserialize(bytes);
      return createJsonSerde(jsonSpec(side, target)).serialize(row)?.toString('utf8') ?? null;
    }
    case 'JSON_SR':
      // The JSON behind the prefix, as written; bytes without one are shown as they are.
      return bytes[0] === 0 ? bytes.subarray(5).toString('utf8') : plainText(bytes);
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR': {
      const row = createSerde({ ...serdeOptions(side, target), registry }).deserialize(bytes);
      return createJsonSerde(protobufJsonSpec(side, target)).serialize(row)?.toString('utf8') ?? null;
    }
    default: {
      if (side.columns.length !== 1) return plainText(bytes);
      const serde = createSerde({ format: side.format.format, target, columns: side.columns, properties: side.format.properties, features: side.format.features });
      const values = serde.deserialize(bytes);
      return values === null ? null : valueToJsonText(values[0] ?? null, side.columns[0]!.type);
    }
  }
}

function serdeOptions(side: Side, target: 'key' | 'value'): CreateSerdeOptions {
  return { format: side.format.format, target, columns: side.columns, properties: side.format.properties, features: side.format.features };
}

/** Protobuf always wraps, keys of one column too: their JSON rendering is an object. */
function protobufJsonSpec(side: Side, target: 'key' | 'value'): SerdeSpec {
  return { target, columns: side.columns, properties: {}, features: ['WRAP_SINGLES'] };
}

/** The JSON rendering of a side in another format: the same columns and wrapping. */
function jsonSpec(side: Side, target: 'key' | 'value'): SerdeSpec {
  return { target, columns: side.columns, properties: {}, features: side.format.features };
}

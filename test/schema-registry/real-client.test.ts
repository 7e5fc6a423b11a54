/**
 * The registry through real, unmodified clients (dev dependencies):
 * @kafkajs/confluent-schema-registry and @confluentinc/schemaregistry.
 */
import test from 'ava';
import * as client from '@kafkajs/confluent-schema-registry';
import * as confluent from '@confluentinc/schemaregistry';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { startRegistry } from './helpers.js';

const CLIENT_PACKAGE = '@kafkajs/confluent-schema-registry';
const CONFLUENT_PACKAGE = '@confluentinc/schemaregistry';

test(`${CLIENT_PACKAGE} registers, looks up, encodes and decodes Avro, and registers JSON and Protobuf schemas`, async (t) => {
  const dir = makeTempDir('ksqlite-registry-');
  const running = await startRegistry(dir);
  try {
    const { SchemaRegistry, SchemaType } = client;
    const registry = new SchemaRegistry({ host: running.url });
    const schema = { type: 'record', name: 'Payment', namespace: 'shop', fields: [{ name: 'id', type: 'string' }, { name: 'amount', type: 'double' }] };
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject: 'payments-value' });
    // The second registration reads the subject's config the first one set, and gets the same id.
    t.is((await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject: 'payments-value' })).id, id);
    t.is(await registry.getLatestSchemaId('payments-value'), id);
    t.is(await registry.getRegistryIdBySchema('payments-value', { type: SchemaType.AVRO, schema: JSON.stringify(schema) }), id);
    const bytes: Buffer = await registry.encode(id, { id: 'p1', amount: 12.5 });
    t.is(bytes[0], 0);
    t.is(bytes.readInt32BE(1), id);
    // A fresh client has nothing cached: decode fetches the schema by id.
    t.deepEqual({ ...(await new SchemaRegistry({ host: running.url }).decode(bytes)) }, { id: 'p1', amount: 12.5 });
    const incompatible = { ...schema, fields: [...schema.fields, { name: 'currency', type: 'string' }] };
    await t.throwsAsync(registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(incompatible) }, { subject: 'payments-value' }), {
      message: /incompatible/,
    });
    const json = await registry.register(
      { type: SchemaType.JSON, schema: JSON.stringify({ type: 'object', properties: { f1: { type: 'string' } } }) },
      { subject: 'json-value' },
    );
    t.true(json.id > id);
    const proto = await registry.register({ type: SchemaType.PROTOBUF, schema: 'syntax = "proto3";\npackage shop;\nmessage Item {\n  string name = 1;\n}\n' }, { subject: 'proto-value' });
    t.true(proto.id > json.id);
  } finally {
    await running.stop();
    removeDir(dir);
  }
});

test(`${CONFLUENT_PACKAGE} registers, serializes with the latest version, deserializes by id and deletes the subject`, async (t) => {
  const dir = makeTempDir('ksqlite-registry-');
  const running = await startRegistry(dir);
  try {
    const { SchemaRegistryClient, AvroSerializer, AvroDeserializer, SerdeType } = confluent;
    const registry = SchemaRegistryClient.newClient({ baseURLs: [running.url], cacheCapacity: 1000 });
    const schema = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'int' }, { name: 'item', type: 'string' }] });
    const id = await registry.register('orders-value', { schemaType: 'AVRO', schema }, false);
    t.true(Number.isInteger(id));
    const serializer = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true });
    const bytes: Buffer = await serializer.serialize('orders', { id: 7, item: 'pen' });
    t.is(bytes[0], 0);
    t.is(bytes.readInt32BE(1), id);
    const fresh = SchemaRegistryClient.newClient({ baseURLs: [running.url], cacheCapacity: 1000 });
    const decoded = await new AvroDeserializer(fresh, SerdeType.VALUE, {}).deserialize('orders', bytes);
    t.is(decoded.id, 7);
    t.is(decoded.item, 'pen');
    t.deepEqual(await registry.deleteSubject('orders-value', false), [1]);
    t.deepEqual(await registry.deleteSubject('orders-value', true), [1]);
  } finally {
    await running.stop();
    removeDir(dir);
  }
});

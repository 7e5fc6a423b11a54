/**
 * The registry through a real, unmodified client: @kafkajs/confluent-schema-registry
 * (a dev dependency to add; this test is skipped, saying why, while it is not installed).
 */
import test from 'ava';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { startRegistry } from './helpers.js';

const CLIENT_PACKAGE = '@kafkajs/confluent-schema-registry';

async function loadClient(): Promise<any> {
  try {
    return await import(CLIENT_PACKAGE);
  } catch (error) {
    console.log(`real-client: skipped, ${CLIENT_PACKAGE} is not installed (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

const client = await loadClient();
const clientTest = client === undefined ? test.skip : test;

clientTest(`${CLIENT_PACKAGE} registers, looks up, encodes and decodes Avro, and registers JSON and Protobuf schemas`, async (t) => {
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

/**
 * JSON_SR through a real, unmodified client (@confluentinc/schemaregistry,
 * a dev dependency): its JSON Schema serializer writes records a ksqlite
 * stream reads, and its deserializer, validating, reads what a ksqlite CSAS
 * wrote with the schema ksqlite generated and registered.
 */
import test from 'ava';
import * as confluent from '@confluentinc/schemaregistry';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { KsqlConfig } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import { SchemaRegistryServer } from '../../src/schema-registry/schema-registry-server.js';
import { SchemaStore } from '../../src/schema-registry/schema-store.js';
import { storeRegistryClient } from '../../src/schema-registry/store-client.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';

test('@confluentinc/schemaregistry JSON serializer and deserializer interoperate with a JSON_SR stream and CSAS', async (t) => {
  const dir = makeTempDir('ksqlite-json-sr-');
  const broker = openEmbeddedBroker({ dataDir: dir });
  const store = SchemaStore.open(broker);
  const server = await SchemaRegistryServer.start({ broker, store, host: '127.0.0.1', port: 0 });
  const scheduler = new Scheduler();
  const engine = new KsqlEngine({
    broker, scheduler, config: new KsqlConfig({ 'auto.offset.reset': 'earliest' }), functions: createFunctionRegistry(),
    schemaRegistry: storeRegistryClient(store),
  });
  try {
    const { SchemaRegistryClient, JsonSerializer, JsonDeserializer, SerdeType } = confluent;
    const client = SchemaRegistryClient.newClient({ baseURLs: [server.url], cacheCapacity: 1000 });
    const schema = {
      type: 'object',
      properties: { id: { type: 'integer' }, item: { type: 'string' }, price: { type: 'number' } },
      required: ['id', 'item'],
    };
    const id = await client.register('orders-value', { schemaType: 'JSON', schema: JSON.stringify(schema) }, false);
    const serializer = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, validate: true });
    const bytes: Buffer = await serializer.serialize('orders', { id: 7, item: 'pen', price: 1.25 });
    t.is(bytes[0], 0);
    t.is(bytes.readInt32BE(1), id);

    broker.createTopic('orders', { partitions: 1 });
    broker.append('orders', [{ key: null, value: bytes, timestamp: 1 }]);
    engine.execute("CREATE STREAM ORDERS WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON_SR');");
    t.deepEqual(engine.metastore.getSource('ORDERS')!.schema.value.map((c) => [c.name, c.type.kind]), [
      ['ID', 'BIGINT'], ['ITEM', 'STRING'], ['PRICE', 'DOUBLE'],
    ]);
    engine.execute("CREATE STREAM LABELS WITH (KAFKA_TOPIC='labels', VALUE_FORMAT='JSON_SR') AS SELECT ID, UCASE(ITEM) AS LABEL, PRICE * 2 AS DOUBLED FROM ORDERS;");
    scheduler.runUntilIdle();

    const written = broker.read('labels', 0, 0, { maxRecords: 10 });
    t.is(written.length, 1);
    const fresh = SchemaRegistryClient.newClient({ baseURLs: [server.url], cacheCapacity: 1000 });
    // Ajv's strict mode refuses keywords it does not know, such as Connect's `connect.index`; Java's validator ignores them.
    const deserializer = new JsonDeserializer(fresh, SerdeType.VALUE, { validate: true, strict: false });
    const decoded = await deserializer.deserialize('labels', written[0]!.value!);
    t.deepEqual(decoded, { ID: 7, LABEL: 'PEN', DOUBLED: 2.5 });
    const registered = await fresh.getLatestSchemaMetadata('labels-value');
    t.is(registered.schemaType, 'JSON');
    t.is(written[0]!.value!.readInt32BE(1), registered.id!);
  } finally {
    engine.close();
    await server.stop();
    broker.close();
    removeDir(dir);
  }
});

import test from 'ava';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { SchemaStore } from '../../src/schema-registry/schema-store.js';
import { storeRegistryClient } from '../../src/schema-registry/store-client.js';
import { withTempDir } from '../helpers/temp-dir.js';

const avro = (schema: unknown) => ({ schema: JSON.stringify(schema), schemaType: 'AVRO' as const, references: [] });

test('a schema registered with a requested id keeps it across a restart, and later ids follow it', (t) => {
  withTempDir((dir) => {
    let broker = openEmbeddedBroker({ dataDir: dir });
    let store = SchemaStore.open(broker);
    t.is(store.register('a-value', avro('int'), 102), 102);
    t.is(store.register('b-value', avro('string')), 103);
    t.is(store.register('c-value', avro('int'), 102), 102, 'the same schema under its own id again');
    t.throws(() => store.register('d-value', avro('long'), 103), { message: 'Overwrite new schema with id 103 is not permitted.' });
    t.is(store.register('e-value', avro('string'), 7), 7, 'a schema known under another id takes a free requested id in another subject');
    t.is(store.schemaById(7).schema, '"string"');
    t.throws(() => store.register('b-value', avro('string'), 8), { message: 'Schema already registered with id 103 instead of input id 8' });
    t.is(store.register('g-value', avro('string')), 7, 'the schema without a requested id takes the id it has last');
    broker.close();
    broker = openEmbeddedBroker({ dataDir: dir });
    store = SchemaStore.open(broker);
    t.is(store.schemaById(102).schema, '"int"');
    t.is(store.schemaById(7).schema, '"string"');
    t.is(store.register('f-value', avro('boolean')), 104);
    broker.close();
  });
});

test('the in-process client answers undefined for an unknown id or subject and the latest live version otherwise', (t) => {
  withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    const client = storeRegistryClient(SchemaStore.open(broker));
    t.is(client.schemaById(1), undefined);
    t.is(client.latest('x-value'), undefined);
    const first = client.register('x-value', 'AVRO', '"int"');
    const second = client.register('x-value', 'AVRO', '["null","int"]');
    t.deepEqual(client.latest('x-value'), { id: second, schemaType: 'AVRO', schema: '["null","int"]', references: [], version: 2 });
    t.deepEqual(client.schemaById(first), { id: first, schemaType: 'AVRO', schema: '"int"', references: [] });
    t.throws(() => client.register('x-value', 'AVRO', '"string"'), { message: /incompatible/ });
    broker.close();
  });
});

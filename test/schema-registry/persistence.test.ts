import test from 'ava';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { SchemaStore } from '../../src/schema-registry/schema-store.js';
import { SCHEMAS_TOPIC } from '../../src/schema-registry/schemas-topic.js';
import { runUntilKilled } from '../helpers/kill-loop.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { avroRecord, call, startRegistry } from './helpers.js';

const DAY_MS = 24 * 60 * 60 * 1000;

test('schemas, ids, deletes and configs survive a restart of the registry on the same data directory', async (t) => {
  await withTempDir(async (dir) => {
    const first = await startRegistry(dir);
    const sr = (method: string, path: string, body?: unknown) => call(first.url, method, path, body);
    const v1 = avroRecord('P', [{ name: 'a', type: 'int' }]);
    const v2 = avroRecord('P', [{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: '' }]);
    const id1 = (await sr('POST', '/subjects/p-value/versions', { schema: v1 })).body.id;
    const id2 = (await sr('POST', '/subjects/p-value/versions', { schema: v2 })).body.id;
    await sr('POST', '/subjects/q-value/versions', { schema: v1 });
    await sr('DELETE', '/subjects/q-value');
    await sr('PUT', '/config/p-value', { compatibility: 'FULL' });
    await sr('PUT', '/config', { compatibility: 'FORWARD' });
    await first.stop();

    const second = await startRegistry(dir);
    try {
      const again = (method: string, path: string, body?: unknown) => call(second.url, method, path, body);
      t.deepEqual((await again('GET', '/subjects/p-value/versions/1')).body, { subject: 'p-value', version: 1, id: id1, schema: v1 });
      t.deepEqual((await again('GET', '/subjects/p-value/versions/latest')).body, { subject: 'p-value', version: 2, id: id2, schema: v2 });
      t.deepEqual((await again('GET', '/subjects')).body, ['p-value']);
      t.deepEqual((await again('GET', '/subjects?deleted=true')).body, ['p-value', 'q-value']);
      t.deepEqual((await again('GET', '/config/p-value')).body, { compatibilityLevel: 'FULL' });
      t.deepEqual((await again('GET', '/config')).body, { compatibilityLevel: 'FORWARD' });
      t.is((await again('POST', '/subjects/p-value/versions', { schema: v2 })).body.id, id2, 'the same schema keeps its id');
      const id3 = (await again('POST', '/subjects/r-value/versions', { schema: '"string"' })).body.id;
      t.is(id3, id2 + 1);
    } finally {
      await second.stop();
    }
  });
});

test('an id stays used after its schema is permanently deleted and compacted away', (t) => {
  withTempDir((dir) => {
    let broker = openEmbeddedBroker({ dataDir: dir });
    let store = SchemaStore.open(broker);
    const content = (schema: string) => ({ schema, schemaType: 'AVRO' as const, references: [] });
    const kept = store.register('kept', content('"int"'));
    const gone = store.register('gone', content('"string"'));
    store.deleteSubject('gone', false);
    store.deleteSubject('gone', true);
    // Twice: the first compaction keeps the tombstones for delete.retention.ms, the second drops them.
    const now = Date.now();
    broker.runMaintenance(now);
    const report = broker.runMaintenance(now + 2 * DAY_MS);
    t.true(report.recordsRemoved > 0, 'compaction removed the deleted schema');
    broker.close();

    broker = openEmbeddedBroker({ dataDir: dir });
    try {
      store = SchemaStore.open(broker);
      t.is(store.schemaById(kept).schema, '"int"');
      const fresh = store.register('new', content('"long"'));
      t.true(fresh > gone, `id ${fresh} comes after the deleted ${gone}`);
    } finally {
      broker.close();
    }
  });
});

test('a record of _schemas that cannot be read is skipped, and the registry starts', (t) => {
  withTempDir((dir) => {
    let broker = openEmbeddedBroker({ dataDir: dir });
    let store = SchemaStore.open(broker);
    const id = store.register('s', { schema: '"int"', schemaType: 'AVRO', references: [] });
    broker.append(SCHEMAS_TOPIC, [{ key: Buffer.from('not json'), value: Buffer.from('{}') }]);
    broker.append(SCHEMAS_TOPIC, [{ key: Buffer.from('{"keytype":"SCHEMA","subject":"s","version":2,"magic":1}'), value: Buffer.from('{"id":"x"}') }]);
    const badReference = { subject: 's', version: 3, id: 9, schema: '"int"', references: [{ name: 'r' }], deleted: false };
    broker.append(SCHEMAS_TOPIC, [{ key: Buffer.from('{"keytype":"SCHEMA","subject":"s","version":3,"magic":1}'), value: Buffer.from(JSON.stringify(badReference)) }]);
    const notJson = { subject: 's', version: 4, id: 10, schema: '{"type": "record"', deleted: false };
    broker.append(SCHEMAS_TOPIC, [{ key: Buffer.from('{"keytype":"SCHEMA","subject":"s","version":4,"magic":1}'), value: Buffer.from(JSON.stringify(notJson)) }]);
    broker.close();
    broker = openEmbeddedBroker({ dataDir: dir });
    try {
      store = SchemaStore.open(broker);
      t.deepEqual(store.listVersions('s'), [1]);
      t.is(store.getVersion('s', 'latest').id, id);
    } finally {
      broker.close();
    }
  });
});

interface Ack {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schema: string;
}

async function registerUntilKilled(dataDir: string, first: number, minAcks: number): Promise<Ack[]> {
  const lines = await runUntilKilled(new URL('fixtures/register-loop.js', import.meta.url), {
    args: [dataDir, String(first)],
    ready: (acks) => acks.length >= minAcks,
    delayMs: { min: 5, max: 30 },
  });
  return lines.map((line) => JSON.parse(line) as Ack);
}

test('after kill -9 every acknowledged registration is there with its id, and ids are not given twice', async (t) => {
  await withTempDir(async (dir) => {
    const acks = [...(await registerUntilKilled(dir, 0, 60)), ...(await registerUntilKilled(dir, 100_000, 60))];
    t.true(acks.length >= 120);
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      const store = SchemaStore.open(broker);
      const idOfSchema = new Map<string, number>();
      let wrong = 0;
      for (const ack of acks) {
        const stored = store.getVersion(ack.subject, String(ack.version));
        if (stored.id !== ack.id || stored.schema !== ack.schema) wrong++;
        const known = idOfSchema.get(ack.schema);
        if (known !== undefined && known !== ack.id) wrong++;
        idOfSchema.set(ack.schema, ack.id);
      }
      t.is(wrong, 0, 'every acknowledged version has its id and schema');
      const ids = [...idOfSchema.values()];
      t.is(new Set(ids).size, ids.length, 'distinct schemas have distinct ids');
      const next = store.register('after-crash', { schema: '"bytes"', schemaType: 'AVRO', references: [] });
      t.true(next > Math.max(...ids), 'a new schema gets an id no acknowledged schema had');
    } finally {
      broker.close();
    }
  });
});

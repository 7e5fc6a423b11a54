import test from 'ava';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { avroRecord, call, startRegistry, type RunningRegistry } from './helpers.js';

let running: RunningRegistry;
let dir: string;

test.before(async () => {
  dir = makeTempDir('ksqlite-registry-');
  running = await startRegistry(dir);
});

test.after.always(async () => {
  await running?.stop();
  removeDir(dir);
});

const sr = (method: string, path: string, body?: unknown) => call(running.url, method, path, body);

const V1 = avroRecord('Payment', [{ name: 'id', type: 'string' }]);
const V2 = avroRecord('Payment', [
  { name: 'id', type: 'string' },
  { name: 'amount', type: 'double', default: 0 },
]);

test('register answers {"id"}; the same schema again gets the same id and no new version', async (t) => {
  const first = await sr('POST', '/subjects/reg-value/versions', { schema: V1 });
  t.is(first.status, 200);
  t.is(first.contentType, 'application/vnd.schemaregistry.v1+json; charset=utf-8');
  t.deepEqual(Object.keys(first.body), ['id']);
  const again = await sr('POST', '/subjects/reg-value/versions', { schema: JSON.stringify(JSON.parse(V1), null, 2) });
  t.is(again.body.id, first.body.id);
  t.deepEqual((await sr('GET', '/subjects/reg-value/versions')).body, [1]);
});

test('ids are global: one schema under two subjects has one id, a new schema a new one', async (t) => {
  const schema = avroRecord('Shared', [{ name: 'a', type: 'int' }]);
  const a = await sr('POST', '/subjects/shared-a/versions', { schema });
  const b = await sr('POST', '/subjects/shared-b/versions', { schema });
  t.is(a.body.id, b.body.id);
  const other = await sr('POST', '/subjects/shared-b/versions', { schema: avroRecord('Shared', [{ name: 'a', type: 'long' }]) });
  t.not(other.body.id, a.body.id);
  t.deepEqual((await sr('GET', `/schemas/ids/${a.body.id}/versions`)).body, [
    { subject: 'shared-a', version: 1 },
    { subject: 'shared-b', version: 1 },
  ]);
  t.deepEqual((await sr('GET', `/schemas/ids/${a.body.id}/subjects`)).body, ['shared-a', 'shared-b']);
});

test('the same Avro schema with other whitespace and attribute order, or a primitive as {"type":..}, is the same schema', async (t) => {
  const schema = '{"type":"record","name":"Same","fields":[{"name":"a","type":"int"},{"name":"b","type":{"type":"string"}}]}';
  const reordered = '{ "fields": [ {"type": "int", "name": "a"}, {"name": "b", "type": "string"} ], "name": "Same", "type": "record" }';
  const id = (await sr('POST', '/subjects/same-a/versions', { schema })).body.id;
  t.is((await sr('POST', '/subjects/same-b/versions', { schema: reordered })).body.id, id);
  t.is((await sr('POST', '/subjects/same-a/versions', { schema: reordered })).body.id, id);
  t.deepEqual((await sr('GET', '/subjects/same-a/versions')).body, [1]);
  t.deepEqual((await sr('POST', '/subjects/same-b', { schema: reordered })).body, { subject: 'same-b', version: 1, id, schema }, 'one id, one text');
  const fieldOrder = '{"type":"record","name":"Same","fields":[{"name":"b","type":"string"},{"name":"a","type":"int"}]}';
  t.not((await sr('POST', '/subjects/same-c/versions', { schema: fieldOrder })).body.id, id, 'the order of fields matters');
});

test('versions, a version, latest and the raw schema', async (t) => {
  const id1 = (await sr('POST', '/subjects/ver-value/versions', { schema: V1 })).body.id;
  const id2 = (await sr('POST', '/subjects/ver-value/versions', { schema: V2 })).body.id;
  t.deepEqual((await sr('GET', '/subjects/ver-value/versions')).body, [1, 2]);
  t.deepEqual((await sr('GET', '/subjects/ver-value/versions/1')).body, { subject: 'ver-value', version: 1, id: id1, schema: V1 });
  t.deepEqual((await sr('GET', '/subjects/ver-value/versions/latest')).body, { subject: 'ver-value', version: 2, id: id2, schema: V2 });
  const raw = await sr('GET', '/subjects/ver-value/versions/2/schema');
  t.deepEqual(raw.body, JSON.parse(V2));
  t.true((await sr('GET', '/subjects')).body.includes('ver-value'));
  t.deepEqual((await sr('GET', '/subjects?subjectPrefix=ver-')).body, ['ver-value']);
});

test('not found and invalid version give Confluent codes', async (t) => {
  const noSubject = await sr('GET', '/subjects/nope/versions');
  t.is(noSubject.status, 404);
  t.deepEqual(noSubject.body, { error_code: 40401, message: "Subject 'nope' not found." });
  await sr('POST', '/subjects/nf-value/versions', { schema: V1 });
  const noVersion = await sr('GET', '/subjects/nf-value/versions/7');
  t.is(noVersion.status, 404);
  t.is(noVersion.body.error_code, 40402);
  const badVersion = await sr('GET', '/subjects/nf-value/versions/zero');
  t.is(badVersion.status, 422);
  t.is(badVersion.body.error_code, 42202);
  const noSchema = await sr('GET', '/schemas/ids/987654');
  t.is(noSchema.status, 404);
  t.is(noSchema.body.error_code, 40403);
  const unknownPath = await sr('GET', '/no/such/path');
  t.is(unknownPath.status, 404);
  t.is(unknownPath.body.error_code, 404);
});

test('an invalid schema is refused with 42201 and the reason', async (t) => {
  const notJson = await sr('POST', '/subjects/bad-value/versions', { schema: '{"type": "record"' });
  t.is(notJson.status, 422);
  t.is(notJson.body.error_code, 42201);
  const noDefault = await sr('POST', '/subjects/bad-value/versions', { schema: avroRecord('R', [{ name: 'x', type: 'int', default: 'one' }]) });
  t.is(noDefault.body.error_code, 42201);
  t.regex(noDefault.body.message, /Invalid default for field x/);
  const unknownType = await sr('POST', '/subjects/bad-value/versions', { schema: avroRecord('R', [{ name: 'x', type: 'Missing' }]) });
  t.regex(unknownType.body.message, /Unknown type 'Missing'/);
  const badType = await sr('POST', '/subjects/bad-value/versions', { schema: '{}', schemaType: 'XML' });
  t.is(badType.body.error_code, 42201);
  const badJson = await sr('POST', '/subjects/bad-value/versions', { schema: '{"type": 5}', schemaType: 'JSON' });
  t.is(badJson.body.error_code, 42201);
  t.is((await sr('GET', '/subjects/bad-value/versions')).body.error_code, 40401);
});

test('an incompatible schema is refused with 409 under the default BACKWARD level', async (t) => {
  await sr('POST', '/subjects/compat-value/versions', { schema: V1 });
  const added = avroRecord('Payment', [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'double' },
  ]);
  const refused = await sr('POST', '/subjects/compat-value/versions', { schema: added });
  t.is(refused.status, 409);
  t.is(refused.body.error_code, 409);
  t.regex(refused.body.message, /incompatible with an earlier schema for subject "compat-value".*READER_FIELD_MISSING_DEFAULT_VALUE/);
  t.deepEqual((await sr('GET', '/subjects/compat-value/versions')).body, [1]);
});

test('lookup finds the version of a schema, or 40403 / 40401', async (t) => {
  const id = (await sr('POST', '/subjects/look-value/versions', { schema: V1 })).body.id;
  const found = await sr('POST', '/subjects/look-value', { schema: V1 });
  t.deepEqual(found.body, { subject: 'look-value', version: 1, id, schema: V1 });
  const missing = await sr('POST', '/subjects/look-value', { schema: V2 });
  t.is(missing.status, 404);
  t.is(missing.body.error_code, 40403);
  t.is((await sr('POST', '/subjects/look-nothing', { schema: V1 })).body.error_code, 40401);
});

test('GET /schemas/ids/{id}, its /schema, /schemas/types and /mode', async (t) => {
  const id = (await sr('POST', '/subjects/ids-value/versions', { schema: V1 })).body.id;
  t.deepEqual((await sr('GET', `/schemas/ids/${id}`)).body, { schema: V1 });
  t.deepEqual((await sr('GET', `/schemas/ids/${id}/schema`)).body, JSON.parse(V1));
  t.deepEqual((await sr('GET', '/schemas/types')).body, ['JSON', 'PROTOBUF', 'AVRO']);
  t.deepEqual((await sr('GET', '/mode')).body, { mode: 'READWRITE' });
});

test('JSON and PROTOBUF schemas carry their schemaType', async (t) => {
  const json = '{"type":"object","properties":{"f1":{"type":"string"}}}';
  const jsonId = (await sr('POST', '/subjects/js-value/versions', { schemaType: 'JSON', schema: json })).body.id;
  t.deepEqual((await sr('GET', `/schemas/ids/${jsonId}`)).body, { schemaType: 'JSON', schema: json });
  const proto = 'syntax = "proto3";\nmessage MyRecord {\n  string f1 = 1;\n}\n';
  const protoId = (await sr('POST', '/subjects/pb-value/versions', { schemaType: 'PROTOBUF', schema: proto })).body.id;
  t.deepEqual((await sr('GET', '/subjects/pb-value/versions/1')).body, { subject: 'pb-value', version: 1, id: protoId, schemaType: 'PROTOBUF', schema: proto });
  t.is((await sr('GET', `/schemas/ids/${protoId}/schema`)).body, proto);
});

test('references: a schema naming a type of another subject registers and lists the reference', async (t) => {
  const address = JSON.stringify({ type: 'record', name: 'Address', namespace: 'shop', fields: [{ name: 'city', type: 'string' }] });
  await sr('POST', '/subjects/address/versions', { schema: address });
  const customer = JSON.stringify({ type: 'record', name: 'Customer', namespace: 'shop', fields: [{ name: 'home', type: 'Address' }] });
  const refs = [{ name: 'shop.Address', subject: 'address', version: 1 }];
  const unresolved = await sr('POST', '/subjects/customer/versions', { schema: customer });
  t.is(unresolved.body.error_code, 42201);
  const id = (await sr('POST', '/subjects/customer/versions', { schema: customer, references: refs })).body.id;
  t.deepEqual((await sr('GET', `/schemas/ids/${id}`)).body, { references: refs, schema: customer });
  t.deepEqual((await sr('GET', '/subjects/address/versions/1/referencedby')).body, [id]);
  const referenced = await sr('DELETE', '/subjects/address/versions/1');
  t.is(referenced.status, 422);
  t.is(referenced.body.error_code, 42206);
  const missing = await sr('POST', '/subjects/customer2/versions', { schema: customer, references: [{ name: 'shop.Address', subject: 'address', version: 9 }] });
  t.is(missing.body.error_code, 42201);
});

test('soft delete, then permanent delete, of a version and of a subject', async (t) => {
  await sr('POST', '/subjects/del-value/versions', { schema: V1 });
  const id2 = (await sr('POST', '/subjects/del-value/versions', { schema: V2 })).body.id;
  const notSoftFirst = await sr('DELETE', '/subjects/del-value/versions/2?permanent=true');
  t.is(notSoftFirst.body.error_code, 40407);
  t.deepEqual((await sr('DELETE', '/subjects/del-value/versions/2')).body, 2);
  t.deepEqual((await sr('GET', '/subjects/del-value/versions')).body, [1]);
  t.deepEqual((await sr('GET', '/subjects/del-value/versions?deleted=true')).body, [1, 2]);
  t.is((await sr('GET', '/subjects/del-value/versions/2')).body.error_code, 40402);
  t.is((await sr('GET', '/subjects/del-value/versions/2?deleted=true')).body.id, id2);
  t.is((await sr('DELETE', '/subjects/del-value/versions/2')).body.error_code, 40406);
  t.deepEqual((await sr('DELETE', '/subjects/del-value/versions/2?permanent=true')).body, 2);
  t.deepEqual((await sr('GET', '/subjects/del-value/versions?deleted=true')).body, [1]);

  t.is((await sr('DELETE', '/subjects/del-value?permanent=true')).body.error_code, 40405);
  t.deepEqual((await sr('DELETE', '/subjects/del-value')).body, [1]);
  t.false((await sr('GET', '/subjects')).body.includes('del-value'));
  t.true((await sr('GET', '/subjects?deleted=true')).body.includes('del-value'));
  t.deepEqual((await sr('GET', '/subjects?deletedOnly=true&subjectPrefix=del-')).body, ['del-value']);
  t.is((await sr('DELETE', '/subjects/del-value')).body.error_code, 40404);
  t.deepEqual((await sr('DELETE', '/subjects/del-value?permanent=true')).body, [1]);
  t.is((await sr('GET', '/subjects/del-value/versions?deleted=true')).body.error_code, 40401);
  t.is((await sr('DELETE', '/subjects/del-value')).body.error_code, 40401);
});

test('a permanently deleted schema id is not given again', async (t) => {
  const gone = (await sr('POST', '/subjects/reuse-value/versions', { schema: avroRecord('Gone', [{ name: 'g', type: 'int' }]) })).body.id;
  await sr('DELETE', '/subjects/reuse-value');
  await sr('DELETE', '/subjects/reuse-value?permanent=true');
  t.is((await sr('GET', `/schemas/ids/${gone}`)).body.error_code, 40403);
  const next = (await sr('POST', '/subjects/reuse-value/versions', { schema: avroRecord('New', [{ name: 'n', type: 'int' }]) })).body.id;
  t.true(next > gone);
});

test('subject config: 40408 until set, then its level; the client handshake of @kafkajs/confluent-schema-registry', async (t) => {
  const unset = await sr('GET', '/config/cfg-value');
  t.is(unset.status, 404);
  t.is(unset.body.error_code, 40408);
  t.deepEqual((await sr('GET', '/config/cfg-value?defaultToGlobal=true')).body, { compatibilityLevel: 'BACKWARD' });
  t.deepEqual((await sr('PUT', '/config/cfg-value', { compatibility: 'FULL' })).body, { compatibility: 'FULL' });
  t.deepEqual((await sr('GET', '/config/cfg-value')).body, { compatibilityLevel: 'FULL' });
  const bad = await sr('PUT', '/config/cfg-value', { compatibility: 'SIDEWAYS' });
  t.is(bad.status, 422);
  t.is(bad.body.error_code, 42203);
  t.deepEqual((await sr('DELETE', '/config/cfg-value')).body, { compatibilityLevel: 'FULL' });
  t.is((await sr('GET', '/config/cfg-value')).body.error_code, 40408);
});

test('the compatibility route answers is_compatible, with messages when verbose', async (t) => {
  await sr('POST', '/subjects/check-value/versions', { schema: V1 });
  t.deepEqual((await sr('POST', '/compatibility/subjects/check-value/versions/latest', { schema: V2 })).body, { is_compatible: true });
  const noDefault = avroRecord('Payment', [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'double' },
  ]);
  t.deepEqual((await sr('POST', '/compatibility/subjects/check-value/versions/1', { schema: noDefault })).body, { is_compatible: false });
  const verbose = await sr('POST', '/compatibility/subjects/check-value/versions/1?verbose=true', { schema: noDefault });
  t.false(verbose.body.is_compatible);
  t.regex(verbose.body.messages[0], /READER_FIELD_MISSING_DEFAULT_VALUE/);
  t.deepEqual((await sr('POST', '/compatibility/subjects/check-value/versions', { schema: noDefault })).body, { is_compatible: false });
  t.deepEqual((await sr('POST', '/compatibility/subjects/fresh-value/versions/latest', { schema: V1 })).body, { is_compatible: true });
  t.is((await sr('POST', '/compatibility/subjects/check-value/versions/5', { schema: V1 })).body.error_code, 40402);
  t.is((await sr('POST', '/compatibility/subjects/check-value/versions/1', { schema: '[' })).body.error_code, 42201);
});

test('a body that is not JSON is a 400, plain application/json is accepted', async (t) => {
  const broken = await sr('POST', '/subjects/body-value/versions', '{"schema": ');
  t.is(broken.status, 400);
  t.is(broken.body.error_code, 400);
  const plain = await fetch(`${running.url}/subjects/body-value/versions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ schema: '"string"' }),
  });
  t.is(plain.status, 200);
  t.true(Number.isInteger(((await plain.json()) as { id: number }).id));
});

test('GET /config is BACKWARD by default; PUT /config changes the level of subjects without their own, DELETE /config resets it; GET /schemas', async (t) => {
  const own = makeTempDir('ksqlite-registry-');
  const other = await startRegistry(own);
  try {
    const x = (method: string, path: string, body?: unknown) => call(other.url, method, path, body);
    t.deepEqual((await x('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' });
    await x('POST', '/subjects/g-value/versions', { schema: V1 });
    t.deepEqual((await x('PUT', '/config', { compatibility: 'none' })).body, { compatibility: 'NONE' });
    t.deepEqual((await x('GET', '/config')).body, { compatibilityLevel: 'NONE' });
    t.is((await x('POST', '/subjects/g-value/versions', { schema: '"int"' })).status, 200);
    t.deepEqual((await x('DELETE', '/config')).body, { compatibilityLevel: 'NONE' });
    t.deepEqual((await x('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' });
    const [v1, v2] = [(await x('GET', '/subjects/g-value/versions/1')).body, (await x('GET', '/subjects/g-value/versions/2')).body];
    t.deepEqual((await x('GET', '/schemas')).body, [v1, v2]);
    t.deepEqual((await x('GET', '/schemas?latestOnly=true')).body, [v2]);
    t.deepEqual((await x('GET', '/schemas?subjectPrefix=other')).body, []);
  } finally {
    await other.stop();
    removeDir(own);
  }
});

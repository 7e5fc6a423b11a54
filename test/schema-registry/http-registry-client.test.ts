import test from 'ava';
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { HttpRegistryClient } from '../../src/schema-registry/http-registry-client.js';
import { startRegistryThread } from '../helpers/registry-thread.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import { avroRecord } from './helpers.js';

test('registers, finds by id and latest version, answers undefined for what is not there, and keeps what it learned when the registry goes away', async (t) => {
  const dir = makeTempDir('ksqlite-http-registry-');
  const registry = await startRegistryThread(dir);
  const client = new HttpRegistryClient({ urls: [registry.url] });
  try {
    const schema = avroRecord('Pay', [{ name: 'A', type: 'int' }]);
    const id = client.register('pay-value', 'AVRO', schema);
    t.is(client.register('pay-value', 'AVRO', schema), id);
    const json = client.register('doc-value', 'JSON', '{"type":"object"}');
    t.deepEqual(client.latest('doc-value'), { id: json, schemaType: 'JSON', schema: '{"type":"object"}' });
    t.deepEqual(client.latest('pay-value'), { id, schemaType: 'AVRO', schema });
    t.is(client.latest('nothing-value'), undefined);
    t.is(client.schemaById(9999), undefined);
    t.throws(() => client.register('pay-value', 'AVRO', '"string"'), { message: /incompatible .*; error code: 409$/ });
    t.throws(() => client.register('bad-value', 'AVRO', '{"type":"nope"}'), { message: /; error code: 42201$/ });
    await registry.stop();
    t.deepEqual(client.schemaById(id), { id, schemaType: 'AVRO', schema }, 'from the cache: the registry is not asked again');
    t.is(client.register('pay-value', 'AVRO', schema), id);
    t.throws(() => client.schemaById(json + 1), { message: /^The Schema Registry cannot be reached: http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/ });
  } finally {
    client.close();
    removeDir(dir);
  }
});

test('sends Basic credentials, and reports the registry\'s refusal without them', async (t) => {
  const dir = makeTempDir('ksqlite-http-registry-');
  const registry = await startRegistryThread(dir, { userInfo: 'fred:s3cret' });
  const good = new HttpRegistryClient({ urls: ['http://127.0.0.1:1', registry.url], userInfo: 'fred:s3cret' });
  const bad = new HttpRegistryClient({ urls: [registry.url] });
  try {
    t.true(good.register('t-value', 'AVRO', '"int"') > 0, 'a URL that cannot be reached is skipped for the next');
    t.throws(() => bad.latest('t-value'), { message: 'Unauthorized; error code: 401' });
  } finally {
    good.close();
    bad.close();
    await registry.stop();
    removeDir(dir);
  }
});

test('a registry that does not answer times out, and then requests fail at once for a while instead of blocking again', async (t) => {
  // Connections are accepted by the kernel and never answered: this thread is blocked while the client waits.
  const sockets: Socket[] = [];
  const silent = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
  const client = new HttpRegistryClient({ urls: [url], timeoutMs: 300, pauseAfterTimeoutMs: 60_000 });
  try {
    t.throws(() => client.schemaById(1), { message: `The Schema Registry cannot be reached: ${url}: no answer within 300 ms` });
    const started = Date.now();
    t.throws(() => client.latest('t-value'), { message: /cannot be reached: .*no answer within 300 ms \(requests to it fail for \d+ s more\)$/ });
    t.true(Date.now() - started < 300);
  } finally {
    client.close();
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('an https registry is trusted through the certificates given, and refused without them', async (t) => {
  const dir = makeTempDir('ksqlite-http-registry-');
  const certificate = makeTestCertificate(dir);
  const registry = await startRegistryThread(dir, { tls: { key: readFileSync(certificate.keyFile, 'utf8'), cert: certificate.cert } });
  const trusting = new HttpRegistryClient({ urls: [registry.url], ca: certificate.cert });
  const untrusting = new HttpRegistryClient({ urls: [registry.url] });
  try {
    const id = trusting.register('t-value', 'AVRO', '"int"');
    t.deepEqual(trusting.latest('t-value'), { id, schemaType: 'AVRO', schema: '"int"' });
    t.throws(() => untrusting.latest('t-value'), { message: /^The Schema Registry cannot be reached: https:.*self-signed certificate/ });
  } finally {
    trusting.close();
    untrusting.close();
    await registry.stop();
    removeDir(dir);
  }
});

/**
 * The embedded Schema Registry's port takes the server's Basic credentials
 * and TLS: real clients (@kafkajs/confluent-schema-registry,
 * @confluentinc/schemaregistry) connect over https with credentials, and a
 * request without them gets 401; the engine's own use of the store is
 * in-process and unaffected.
 */
import { writeFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import test from 'ava';
import * as kafkajsRegistry from '@kafkajs/confluent-schema-registry';
import * as confluent from '@confluentinc/schemaregistry';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import { startServer, stopServer, type Harness } from './helpers.js';

const dir = makeTempDir('ksqlite-sr-security-');
const cert = makeTestCertificate(dir);
const usersFile = join(dir, 'password-file');
writeFileSync(usersFile, 'fred: letmein,admin\nbarney: rubble,guest\n');

let h: Harness;
test.before(async () => {
  h = await startServer(undefined, {
    https: true,
    schemaRegistryPort: 0,
    properties: {
      'ssl.keystore.location': cert.pemKeystore,
      'authentication.method': 'BASIC',
      'authentication.roles': 'admin',
      'authentication.realm': 'KsqlServer-Props',
      'authentication.basic.users.file': usersFile,
    },
  });
});
test.after.always(async () => {
  if (h !== undefined) await stopServer(h);
  removeDir(dir);
});

const registryUrl = (): string => h.server.schemaRegistry!.url;

function get(path: string, user?: string): Promise<{ status: number; challenge: string | undefined; body: string }> {
  return call(`${registryUrl()}${path}`, 'GET', user);
}

function call(url: string, method: string, user?: string, body?: string): Promise<{ status: number; challenge: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = user === undefined ? {} : { authorization: `Basic ${Buffer.from(user).toString('base64')}` };
    const req = httpsRequest(url, { method, ca: cert.cert, agent: false, headers: { ...headers, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += String(c)));
      res.on('end', () => resolve({ status: res.statusCode!, challenge: res.headers['www-authenticate'], body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('the registry listens on https and refuses a request without credentials, with a wrong password or without a role', async (t) => {
  t.regex(registryUrl(), /^https:\/\/127\.0\.0\.1:\d+$/);
  const anonymous = await get('/subjects');
  t.is(anonymous.status, 401);
  t.is(anonymous.challenge, 'Basic realm="KsqlServer-Props"');
  t.is((await get('/subjects', 'fred:wrong')).status, 401);
  t.is((await get('/subjects', 'barney:rubble')).status, 403);
  // Confluent's registry has no open paths: its metadata needs credentials too.
  t.is((await get('/v1/metadata/id')).status, 401);
  const ok = await get('/subjects', 'fred:letmein');
  t.is(ok.status, 200);
  t.true(Array.isArray(JSON.parse(ok.body)));
});

test('@kafkajs/confluent-schema-registry registers and decodes over https with credentials, and fails without', async (t) => {
  const agent = new Agent({ ca: cert.cert });
  const { SchemaRegistry, SchemaType } = kafkajsRegistry;
  const registry = new SchemaRegistry({ host: registryUrl(), agent, auth: { username: 'fred', password: 'letmein' } });
  const schema = JSON.stringify({ type: 'record', name: 'Payment', fields: [{ name: 'id', type: 'string' }] });
  const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: 'payments-value' });
  const bytes = await registry.encode(id, { id: 'p1' });
  const fresh = new SchemaRegistry({ host: registryUrl(), agent, auth: { username: 'fred', password: 'letmein' } });
  t.deepEqual({ ...(await fresh.decode(bytes)) }, { id: 'p1' });
  const anonymous = new SchemaRegistry({ host: registryUrl(), agent });
  await t.throwsAsync(anonymous.getLatestSchemaId('payments-value'), { message: /401|Unauthorized/i });
  agent.destroy();
});

test('@confluentinc/schemaregistry registers and reads over https with USER_INFO credentials, and fails without', async (t) => {
  const httpsAgent = new Agent({ ca: cert.cert });
  const { SchemaRegistryClient } = confluent;
  const registry = SchemaRegistryClient.newClient({
    baseURLs: [registryUrl()],
    createAxiosDefaults: { httpsAgent },
    basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo: 'fred:letmein' },
    maxRetries: 0,
  });
  const id = await registry.register('orders-value', { schemaType: 'AVRO', schema: '"string"' }, false);
  t.true(Number.isInteger(id));
  t.is((await registry.getLatestSchemaMetadata('orders-value')).id, id);
  const anonymous = SchemaRegistryClient.newClient({ baseURLs: [registryUrl()], createAxiosDefaults: { httpsAgent }, maxRetries: 0 });
  await t.throwsAsync(anonymous.getLatestSchemaMetadata('orders-value'), { message: /401|Unauthorized/i });
  httpsAgent.destroy();
});

test('the engine registers and reads schemas in-process, whatever the port asks for', async (t) => {
  const ksql = "CREATE STREAM AVRO_S (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='avro_s', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO');";
  const created = await call(`${h.server.url}/ksql`, 'POST', 'fred:letmein', JSON.stringify({ ksql, streamsProperties: {} }));
  t.is(created.status, 200, created.body);
  const subjects = await get('/subjects', 'fred:letmein');
  t.true((JSON.parse(subjects.body) as string[]).includes('avro_s-value'));
});

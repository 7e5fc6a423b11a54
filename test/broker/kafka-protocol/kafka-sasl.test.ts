/**
 * SASL/PLAIN on the Kafka listener over raw sockets, as Kafka's server
 * authenticator behaves: ApiVersions and SaslHandshake before authentication,
 * SaslAuthenticate after a v1 handshake, a raw token after a v0 one; any other
 * request, an unknown mechanism or wrong credentials close the connection.
 */
import test from 'ava';
import { openEmbeddedBroker, type EmbeddedBroker } from '../../../src/broker/index.js';
import { KafkaListener } from '../../../src/broker/kafka-protocol/kafka-listener.js';
import { WireClient } from '../../helpers/kafka-wire.js';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';

const METADATA = 3;
const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;

let dir: string;
let broker: EmbeddedBroker;
let secured: KafkaListener;
let open: KafkaListener;

test.before(async () => {
  dir = makeTempDir('ksqlite-kafka-sasl-');
  broker = openEmbeddedBroker({ dataDir: dir });
  const sasl = { mechanisms: ['PLAIN'], authenticate: (user: string, password: string) => user === 'alice' && password === 'alice-secret' };
  secured = await KafkaListener.start({ broker, host: '127.0.0.1', port: 0, clusterId: broker.dataDirId, sasl });
  open = await KafkaListener.start({ broker, host: '127.0.0.1', port: 0, clusterId: broker.dataDirId });
});

test.after.always(async () => {
  await secured?.close();
  await open?.close();
  broker?.close();
  removeDir(dir);
});

const plain = (user: string, password: string, authorizationId = ''): Buffer => Buffer.from(`${authorizationId}\u0000${user}\u0000${password}`);

async function metadataAnswers(client: WireClient): Promise<boolean> {
  const body = await client.call(METADATA, 1, (w) => w.int32(0));
  return body.int32() === 1;
}

async function handshake(client: WireClient, version: number, mechanism = 'PLAIN'): Promise<{ error: number; mechanisms: string[] }> {
  const body = await client.call(SASL_HANDSHAKE, version, (w) => w.string(mechanism));
  return { error: body.int16(), mechanisms: body.array((r) => r.string()) };
}

async function authenticate(client: WireClient, version: number, token: Buffer): Promise<{ error: number; message: string | null; lifetime?: number }> {
  const body = await client.call(SASL_AUTHENTICATE, version, (w) => w.nullableBytes([token]));
  const error = body.int16();
  const message = body.nullableString();
  body.nullableBytes();
  return { error, message, ...(version >= 1 ? { lifetime: Number(body.int64()) } : {}) };
}

test('before authentication a request other than ApiVersions or SaslHandshake closes the connection unanswered', async (t) => {
  const client = await WireClient.open(secured.port);
  client.send(METADATA, 1, (w) => w.int32(0));
  t.is(await client.receive(), null);
  t.true(client.closed);
});

test('ApiVersions answers before authentication and lists SaslHandshake v0-v1 and SaslAuthenticate v0-v2', async (t) => {
  const client = await WireClient.open(secured.port);
  const body = await client.call(API_VERSIONS, 1, () => {});
  t.is(body.int16(), 0);
  const apis = body.array((r) => [r.int16(), r.int16(), r.int16()]);
  t.deepEqual(apis.find(([key]) => key === SASL_HANDSHAKE), [SASL_HANDSHAKE, 0, 1]);
  t.deepEqual(apis.find(([key]) => key === SASL_AUTHENTICATE), [SASL_AUTHENTICATE, 0, 2]);
  t.deepEqual(await handshake(client, 1), { error: 0, mechanisms: ['PLAIN'] });
  client.close();
});

test('an unsupported mechanism gets UNSUPPORTED_SASL_MECHANISM with the enabled ones, then the connection closes', async (t) => {
  const client = await WireClient.open(secured.port);
  t.deepEqual(await handshake(client, 1, 'SCRAM-SHA-256'), { error: 33, mechanisms: ['PLAIN'] });
  t.true(await client.closedWithin());
});

test('SaslHandshake v1 then SaslAuthenticate: the right password lets requests through, and a second SaslAuthenticate is ILLEGAL_SASL_STATE', async (t) => {
  const client = await WireClient.open(secured.port);
  t.is((await handshake(client, 1)).error, 0);
  t.deepEqual(await authenticate(client, 1, plain('alice', 'alice-secret')), { error: 0, message: null, lifetime: 0 });
  t.true(await metadataAnswers(client));
  t.is((await authenticate(client, 0, plain('alice', 'alice-secret'))).error, 34);
  t.is((await handshake(client, 1)).error, 34);
  client.close();
});

test('SaslAuthenticate with a wrong password, an unknown user or another authorization id: SASL_AUTHENTICATION_FAILED, then the connection closes', async (t) => {
  for (const token of [plain('alice', 'wrong'), plain('mallory', 'alice-secret'), plain('alice', 'alice-secret', 'admin'), Buffer.from('alice')]) {
    const client = await WireClient.open(secured.port);
    t.is((await handshake(client, 1)).error, 0);
    const answer = await authenticate(client, 0, token);
    t.is(answer.error, 58);
    t.regex(answer.message ?? '', /^Authentication failed/);
    t.true(await client.closedWithin(), 'closed after the answer');
  }
});

test('after SaslHandshake v1 any request but SaslAuthenticate closes the connection', async (t) => {
  const client = await WireClient.open(secured.port);
  t.is((await handshake(client, 1)).error, 0);
  client.send(METADATA, 1, (w) => w.int32(0));
  t.is(await client.receive(), null);
});

test('SaslHandshake v0 then a raw PLAIN token: an empty frame accepts it and requests go through; a wrong one closes the connection', async (t) => {
  const client = await WireClient.open(secured.port);
  t.is((await handshake(client, 0)).error, 0);
  client.sendRaw(plain('alice', 'alice-secret'));
  t.deepEqual(await client.receiveRaw(), Buffer.alloc(0));
  t.true(await metadataAnswers(client));
  client.close();

  const refused = await WireClient.open(secured.port);
  t.is((await handshake(refused, 0)).error, 0);
  refused.sendRaw(plain('alice', 'nope'));
  t.is(await refused.receiveRaw(), null);
});

test('a raw token larger than Kafka\'s 512 KiB bound before authentication closes the connection', async (t) => {
  const client = await WireClient.open(secured.port);
  t.is((await handshake(client, 0)).error, 0);
  client.sendRaw(Buffer.alloc(600 * 1024, 'a'));
  t.true(await client.closedWithin());
});

test('a listener without SASL answers SaslHandshake and SaslAuthenticate with ILLEGAL_SASL_STATE', async (t) => {
  const client = await WireClient.open(open.port);
  t.is((await handshake(client, 1)).error, 34);
  t.is((await authenticate(client, 1, plain('alice', 'alice-secret'))).error, 34);
  t.true(await metadataAnswers(client));
  client.close();
});

test('SaslAuthenticate v2 is flexible (compact token and message, tagged fields, response header v1): it authenticates, and a wrong password fails', async (t) => {
  const authenticateV2 = async (client: WireClient, token: Buffer): Promise<{ error: number; message: string | null; lifetime: number }> => {
    const body = await client.callFlexible(SASL_AUTHENTICATE, 2, (w) => w.nullableBytes([token]).taggedFields());
    const error = body.int16();
    const message = body.nullableString();
    body.nullableBytes();
    const lifetime = body.int64();
    body.taggedFields();
    t.is(body.remaining, 0);
    return { error, message, lifetime };
  };
  const client = await WireClient.open(secured.port);
  await handshake(client, 1);
  t.deepEqual(await authenticateV2(client, plain('alice', 'alice-secret')), { error: 0, message: null, lifetime: 0 });
  t.true(await metadataAnswers(client));
  client.close();

  const refused = await WireClient.open(secured.port);
  await handshake(refused, 1);
  t.like(await authenticateV2(refused, plain('alice', 'wrong')), { error: 58 });
  t.true(await refused.closedWithin());
});

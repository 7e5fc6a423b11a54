/**
 * The server's Kafka listener with `kafka.listener.security.protocol=SSL`: kafkajs produces
 * over TLS with the server's keystore; a client speaking plain TCP gets no
 * answer.
 */
import test from 'ava';
import { Kafka, logLevel } from 'kafkajs';
import { WireClient } from '../helpers/kafka-wire.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import { useServer } from './helpers.js';

const dir = makeTempDir('ksqlite-kafka-ssl-');
const cert = makeTestCertificate(dir);
test.after.always(() => removeDir(dir));

const h = useServer({
  start: {
    kafkaPort: 0,
    properties: { 'kafka.listener.security.protocol': 'SSL', 'ssl.keystore.location': cert.pkcs12, 'ssl.keystore.password': cert.pkcs12Password },
  },
});

test.serial('kafkajs produces over TLS, trusting the server\'s certificate', async (t) => {
  const kafka = new Kafka({ clientId: 'kafkajs-ssl', brokers: [`127.0.0.1:${h.server.kafka!.port}`], ssl: { ca: [cert.cert] }, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    await producer.send({ topic: 'over-ssl', messages: [{ value: 'secret' }] });
  } finally {
    await producer.disconnect();
  }
  t.deepEqual(h.server.broker.read('over-ssl', 0, 0).map((r) => String(r.value)), ['secret']);
});

test.serial('a plain-TCP Kafka request gets no Kafka answer from the TLS listener', async (t) => {
  const client = await WireClient.open(h.server.kafka!.port);
  client.send(18, 1, () => {});
  t.is(await client.receive().catch(() => null), null);
  client.close();
});

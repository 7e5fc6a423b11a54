/**
 * The server's Kafka listener with `kafka.listener.security.protocol=SASL_SSL`: real,
 * unmodified clients (kafkajs, kcat, confluent-kafka-python, kafka-python)
 * connect over TLS with SASL/PLAIN credentials from the listener's JAAS
 * setting, produce and read; a wrong password is refused.
 */
import { join } from 'node:path';
import test from 'ava';
import { Kafka, logLevel } from 'kafkajs';
import { KCAT_MISSING, kcat } from '../helpers/kcat.js';
import { findPythonModule, runPython } from '../helpers/python-kafka.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import { useServer } from './helpers.js';

const dir = makeTempDir('ksqlite-kafka-sasl-');
const cert = makeTestCertificate(dir);
test.after.always(() => removeDir(dir));

const JAAS = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";';

const h = useServer({
  start: {
    kafkaPort: 0,
    properties: {
      'kafka.listener.security.protocol': 'SASL_SSL',
      'sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.sasl_ssl.plain.sasl.jaas.config': JAAS,
      'ssl.keystore.location': join(dir, 'keystore.pem'),
    },
  },
});
const port = (): number => h.server.kafka!.port;

function kafka(password: string): Kafka {
  return new Kafka({
    clientId: 'kafkajs-sasl-test',
    brokers: [`127.0.0.1:${port()}`],
    ssl: { ca: [cert.cert] },
    sasl: { mechanism: 'plain', username: 'alice', password },
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
}

const records = (topic: string): string[] => h.server.broker.read(topic, 0, 0).map((r) => String(r.value));

test.serial('kafkajs produces over SASL_SSL with the right password and is refused with a wrong one', async (t) => {
  const producer = kafka('alice-secret').producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    const results = await producer.send({ topic: 'from-kafkajs', messages: [{ key: 'k', value: 'over tls' }] });
    t.true(results.every((r) => r.errorCode === 0));
  } finally {
    await producer.disconnect();
  }
  t.deepEqual(records('from-kafkajs'), ['over tls']);
  const refused = kafka('wrong').producer();
  await t.throwsAsync(refused.connect(), { message: /SASL PLAIN authentication failed|Authentication failed/i });
});

const kcatTest = KCAT_MISSING === null ? test.serial : test.serial.skip;
const KCAT_SASL = (password: string): string[] => [
  '-X', 'security.protocol=SASL_SSL', '-X', 'sasl.mechanisms=PLAIN', '-X', 'sasl.username=alice', '-X', `sasl.password=${password}`,
  '-X', `ssl.ca.location=${cert.certFile}`,
];

kcatTest('kcat produces over SASL_SSL and lists the broker; a wrong password fails', async (t) => {
  const produced = await kcat(port(), [...KCAT_SASL('alice-secret'), '-P', '-t', 'from-kcat'], 'one\ntwo\n');
  t.is(produced.code, 0, produced.stderr);
  t.deepEqual(records('from-kcat'), ['one', 'two']);
  const listed = await kcat(port(), [...KCAT_SASL('alice-secret'), '-L', '-t', 'from-kcat']);
  t.regex(listed.stdout, /topic "from-kcat" with 1 partitions/);
  const refused = await kcat(port(), [...KCAT_SASL('wrong'), '-L', '-m', '3']);
  t.not(refused.code, 0);
  t.regex(refused.stderr, /Authentication failed|SASL authentication error/i);
});

const confluent = findPythonModule('confluent_kafka', 'python3-confluent-kafka');
const confluentTest = confluent.python === null ? test.serial.skip : test.serial;

const CONFLUENT_PRODUCE = `
import sys
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient
port, ca, password = sys.argv[1], sys.argv[2], sys.argv[3]
conf = {'bootstrap.servers': '127.0.0.1:' + port, 'security.protocol': 'SASL_SSL', 'sasl.mechanisms': 'PLAIN',
        'sasl.username': 'alice', 'sasl.password': password, 'ssl.ca.location': ca}
if password != 'alice-secret':
    try:
        AdminClient(conf).list_topics(timeout=5)
        print('listed')
    except Exception as e:
        print('refused', e)
    sys.exit(0)
p = Producer(conf)
p.produce('from-confluent', key=b'k', value=b'from python')
left = p.flush(10)
print('flushed', left)
`;

confluentTest('confluent-kafka-python produces over SASL_SSL; with a wrong password it gets an authentication error', async (t) => {
  const ok = await runPython(confluent.python!, CONFLUENT_PRODUCE, [String(port()), cert.certFile, 'alice-secret']);
  t.is(ok.code, 0, ok.stderr);
  t.is(ok.stdout.trim(), 'flushed 0');
  t.deepEqual(records('from-confluent'), ['from python']);
  const refused = await runPython(confluent.python!, CONFLUENT_PRODUCE, [String(port()), cert.certFile, 'wrong']);
  t.regex(refused.stdout, /^refused/, refused.stderr);
  // librdkafka logs the broker's SASL_AUTHENTICATION_FAILED message.
  t.regex(refused.stderr, /SASL authentication error: Authentication failed: Invalid username or password/);
});

const kafkaPython = findPythonModule('kafka', 'python3-kafka');
const kafkaPythonTest = kafkaPython.python === null ? test.serial.skip : test.serial;

const KAFKA_PYTHON_PRODUCE = `
import sys
from kafka import KafkaProducer
port, ca, password = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    producer = KafkaProducer(bootstrap_servers='127.0.0.1:' + port, security_protocol='SASL_SSL', sasl_mechanism='PLAIN',
                             sasl_plain_username='alice', sasl_plain_password=password, ssl_cafile=ca, api_version_auto_timeout_ms=5000)
    producer.send('from-kafka-python', b'raw token').get(timeout=10)
    producer.flush()
    print('sent')
except Exception as e:
    print('refused', type(e).__name__)
`;

kafkaPythonTest('kafka-python (SaslHandshake v0 and a raw token) produces over SASL_SSL; a wrong password is refused', async (t) => {
  const ok = await runPython(kafkaPython.python!, KAFKA_PYTHON_PRODUCE, [String(port()), cert.certFile, 'alice-secret']);
  t.is(ok.stdout.trim(), 'sent', ok.stderr);
  t.deepEqual(records('from-kafka-python'), ['raw token']);
  const refused = await runPython(kafkaPython.python!, KAFKA_PYTHON_PRODUCE, [String(port()), cert.certFile, 'wrong']);
  t.regex(refused.stdout, /^refused/, refused.stderr);
});

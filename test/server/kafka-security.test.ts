/** The Kafka listener's security settings: protocols, mechanisms and where SASL users come from. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { checkSettings } from '../../src/server/known-settings.js';
import { resolveKafkaSecurity } from '../../src/server/kafka-security.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';

const dir = makeTempDir('ksqlite-kafka-security-');
const cert = makeTestCertificate(dir);
const usersFile = join(dir, 'password-file');
writeFileSync(usersFile, 'fred: letmein,admin\nbarney: rubble,guest\n');
test.after.always(() => removeDir(dir));

const JAAS = 'org.apache.kafka.common.security.plain.PlainLoginModule required\n  username="admin" password="admin-secret"\n  user_admin="admin-secret"\n  user_alice="al\\"ice";';

test('PLAINTEXT by default: no TLS, no SASL', (t) => {
  t.deepEqual(resolveKafkaSecurity({}), { protocol: 'PLAINTEXT' });
});

test('SSL uses the server\'s keystore settings', (t) => {
  const security = resolveKafkaSecurity({ 'kafka.listener.security.protocol': 'SSL', 'ssl.keystore.location': cert.pemKeystore });
  t.is(security.protocol, 'SSL');
  t.truthy(security.tls);
  t.is(security.sasl, undefined);
  t.throws(() => resolveKafkaSecurity({ 'kafka.listener.security.protocol': 'SSL' }), { message: /ssl\.keystore\.location/ });
});

test('SASL_PLAINTEXT takes its users from the listener\'s JAAS setting (user_NAME options, quotes unescaped)', (t) => {
  const { sasl, tls } = resolveKafkaSecurity({ 'kafka.listener.security.protocol': 'sasl_plaintext', 'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS });
  t.is(tls, undefined);
  t.deepEqual(sasl!.mechanisms, ['PLAIN']);
  t.true(sasl!.authenticate('admin', 'admin-secret'));
  t.true(sasl!.authenticate('alice', 'al"ice'));
  t.false(sasl!.authenticate('alice', 'admin-secret'));
  t.false(sasl!.authenticate('username', 'admin'), 'username= and password= are the broker\'s own client login, not users');
  t.false(sasl!.authenticate('nobody', ''));
});

test('without a JAAS setting, SASL users come from the password file and need an allowed role', (t) => {
  const { sasl } = resolveKafkaSecurity({
    'kafka.listener.security.protocol': 'SASL_SSL',
    'ssl.keystore.location': cert.pemKeystore,
    'authentication.basic.users.file': usersFile,
    'authentication.roles': 'admin',
  });
  t.true(sasl!.authenticate('fred', 'letmein'));
  t.false(sasl!.authenticate('fred', 'wrong'));
  t.false(sasl!.authenticate('barney', 'rubble'), 'guest is not an allowed role');
  t.throws(() => resolveKafkaSecurity({ 'kafka.listener.security.protocol': 'SASL_PLAINTEXT' }), { message: /authentication\.basic\.users\.file/ });
});

test('bad settings refuse the start: an unknown protocol, a mechanism other than PLAIN, a JAAS entry of another module or without users', (t) => {
  t.throws(() => resolveKafkaSecurity({ 'kafka.listener.security.protocol': 'SASL' }), { message: /Invalid kafka\.listener\.security\.protocol/ });
  const sasl = { 'kafka.listener.security.protocol': 'SASL_PLAINTEXT', 'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS };
  t.throws(() => resolveKafkaSecurity({ ...sasl, 'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256' }), { message: /PLAIN only/ });
  t.throws(() => resolveKafkaSecurity({ ...sasl, 'listener.name.sasl_plaintext.plain.sasl.jaas.config': 'com.example.Other required user_a="b";' }), { message: /PlainLoginModule/ });
  t.throws(() => resolveKafkaSecurity({ ...sasl, 'listener.name.sasl_plaintext.plain.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b";' }), { message: /names no user/ });
});

test('the listener settings are known settings', (t) => {
  t.notThrows(() => checkSettings({
    'kafka.listener.security.protocol': 'SASL_SSL',
    'sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.sasl_ssl.plain.sasl.jaas.config': JAAS,
    'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS,
  }));
});

import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaRegistryClientOptions } from '../../src/server/schema-registry-client-options.js';
import { withTempDir } from '../helpers/temp-dir.js';

const URL_PROPERTY = 'ksql.schema.registry.url';

test('no URL: no external registry; several URLs, comma-separated, are kept in order', (t) => {
  t.is(schemaRegistryClientOptions({}), undefined);
  t.is(schemaRegistryClientOptions({ [URL_PROPERTY]: ' ' }), undefined);
  t.deepEqual(schemaRegistryClientOptions({ [URL_PROPERTY]: 'http://a:8081, https://b:8082/' }), { urls: ['http://a:8081/', 'https://b:8082/'] });
  t.throws(() => schemaRegistryClientOptions({ [URL_PROPERTY]: 'registry:8081' }), { message: /must be an http or https URL/ });
});

test('Basic credentials come from the URL by default, or from basic.auth.user.info with USER_INFO; SASL_INHERIT is refused', (t) => {
  t.deepEqual(schemaRegistryClientOptions({ [URL_PROPERTY]: 'http://fred:s%40cret@a:8081' }), { urls: ['http://a:8081/'], userInfo: 'fred:s@cret' });
  t.deepEqual(schemaRegistryClientOptions({
    [URL_PROPERTY]: 'http://a:8081',
    'ksql.schema.registry.basic.auth.credentials.source': 'USER_INFO',
    'ksql.schema.registry.basic.auth.user.info': 'fred:pw',
  }), { urls: ['http://a:8081/'], userInfo: 'fred:pw' });
  t.throws(() => schemaRegistryClientOptions({ [URL_PROPERTY]: 'http://a:8081', 'ksql.schema.registry.basic.auth.credentials.source': 'USER_INFO' }), {
    message: /needs ksql.schema.registry.basic.auth.user.info/,
  });
  t.throws(() => schemaRegistryClientOptions({ [URL_PROPERTY]: 'http://a:8081', 'ksql.schema.registry.basic.auth.credentials.source': 'SASL_INHERIT' }), {
    message: /SASL_INHERIT is not supported/,
  });
});

test('an https registry trusts a PEM truststore, the prefixed name over the shared one; other truststores and client keystores are refused', async (t) => {
  await withTempDir(async (dir) => {
    const pem = join(dir, 'ca.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const jks = join(dir, 'ca.jks');
    writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0]));
    const base = { [URL_PROPERTY]: 'https://a:8081' };
    t.regex(schemaRegistryClientOptions({ ...base, 'ksql.schema.registry.ssl.truststore.location': pem, 'ssl.truststore.location': jks })!.ca!, /BEGIN CERTIFICATE/);
    t.regex(schemaRegistryClientOptions({ ...base, 'ssl.truststore.location': pem })!.ca!, /BEGIN CERTIFICATE/);
    t.throws(() => schemaRegistryClientOptions({ ...base, 'ksql.schema.registry.ssl.truststore.location': jks }), { message: /must be PEM certificates/ });
    t.throws(() => schemaRegistryClientOptions({ ...base, 'ksql.schema.registry.ssl.keystore.location': pem }), { message: /does not present a client certificate/ });
    t.deepEqual(schemaRegistryClientOptions({ [URL_PROPERTY]: 'http://a:8081', 'ssl.truststore.location': jks }), { urls: ['http://a:8081/'] }, 'plain http reads no truststore');
  });
});

/** The npm driver `@cubejs-backend/ksql-driver`, unmodified, against a server with TLS and HTTP Basic authentication. */
import { writeFileSync } from 'node:fs';
import { globalAgent } from 'node:https';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import test from 'ava';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';
import { makeTestCertificate } from '../../helpers/test-certificate.js';
import { startServer, stopServer, type Harness } from '../helpers.js';

const require = createRequire(import.meta.url);
const { KsqlDriver } = require('@cubejs-backend/ksql-driver') as { KsqlDriver: new (config: Record<string, string>) => any };

const dir = makeTempDir('ksqlite-cube-tls-');
const cert = makeTestCertificate(dir);
const usersFile = join(dir, 'password-file');
writeFileSync(usersFile, 'cube: MD5:0d107d09f5bbe40cade3de5c71e9e9b7,ksql\n');
// The driver uses node's default https agent: this test file's process trusts the test certificate.
globalAgent.options.ca = cert.cert;

let h: Harness;
test.before(async () => {
  h = await startServer(undefined, {
    https: true,
    properties: {
      'ssl.keystore.location': cert.pkcs12,
      'ssl.keystore.password': cert.pkcs12Password,
      'authentication.method': 'BASIC',
      'authentication.roles': 'ksql',
      'authentication.basic.users.file': usersFile,
    },
  });
});
test.after.always(async () => {
  if (h !== undefined) await stopServer(h);
  removeDir(dir);
});

test('the cube.js driver works over https with its username and password, and is refused with a wrong password', async (t) => {
  const url = `https://localhost:${h.server.port}`;
  const driver = new KsqlDriver({ url, username: 'cube', password: 'letmein' });
  try {
    await driver.testConnection();
    await driver.query("CREATE STREAM SECURE_S (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='secure_s', PARTITIONS=1, VALUE_FORMAT='JSON')");
    t.true(JSON.stringify(await driver.tablesSchema()).includes('SECURE_S'));
  } finally {
    await driver.release?.();
  }
  const wrong = new KsqlDriver({ url, username: 'cube', password: 'nope' });
  const error = await t.throwsAsync(wrong.testConnection());
  t.regex(String(error?.message), /Unauthorized|401/);
});

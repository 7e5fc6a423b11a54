/**
 * operate-and-deploy/installation/server-config/security.md, its client
 * side: the CLI configured for HTTPS with the page's `ssl.truststore.*`
 * settings in `--config-file` (read by the shell for its own connection and
 * never sent to the server, as ksqlDB's CLI does; Node takes PEM
 * certificates where the page names a JKS file), and for Basic
 * authentication with `--user` and `--password`. The server's side is in
 * test/server/tls.test.ts and basic-auth.test.ts.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runShell } from '../cli/helpers.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import { startServer, stopServer, type Harness } from '../server/helpers.js';

const dir = makeTempDir('ksqlite-security-');
const cert = makeTestCertificate(dir);
const usersFile = join(dir, 'password-file');
writeFileSync(usersFile, 'fred: letmein,admin\n');
let h: Harness;

test.before(async () => {
  h = await startServer(undefined, {
    https: true,
    properties: {
      'ssl.keystore.location': cert.pkcs12, 'ssl.keystore.password': cert.pkcs12Password, 'ssl.key.password': cert.pkcs12Password,
      'authentication.method': 'BASIC', 'authentication.roles': 'admin', 'authentication.basic.users.file': usersFile,
    },
  });
});
test.after.always(async () => {
  if (h !== undefined) await stopServer(h);
  removeDir(dir);
});

const url = (): string => `https://localhost:${h.server.port}`;

test('the CLI trusts the server through ssl.truststore.location in its --config-file, and logs in with --user and --password', async (t) => {
  const config = join(dir, 'cli.properties');
  writeFileSync(config, `ssl.truststore.location=${cert.certFile}\nssl.truststore.password=<secure-password>\nauto.offset.reset=earliest\n`);
  const res = await runShell(['--config-file', config, '--user', 'fred', '--password', 'letmein', '-e', "SHOW STREAMS; SHOW PROPERTIES;", url()]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, / Stream Name +\| Kafka Topic/);
  t.regex(res.stdout, /auto\.offset\.reset +\| \w+ +\| earliest /);
  t.notRegex(res.stdout, /ssl\.truststore/);
});

test('without the truststore the server\'s certificate is not trusted: exit code 3; a JKS truststore is refused', async (t) => {
  const res = await runShell(['--user', 'fred', '--password', 'letmein', '-e', 'SHOW STREAMS;', url()]);
  t.is(res.code, 3);
  const jks = join(dir, 'truststore.jks');
  writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
  const config = join(dir, 'jks.properties');
  writeFileSync(config, `ssl.truststore.location=${jks}\n`);
  const refused = await runShell(['--config-file', config, '-e', 'SHOW STREAMS;', url()]);
  t.is(refused.code, 2);
  t.regex(refused.stderr, /must be PEM certificates/);
});

import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo } from 'node:net';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { freePort } from '../helpers/server-process.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import { startServer, stopServer, useServer } from '../server/helpers.js';
import { runMigrations } from './helpers.js';

const dir = makeTempDir('ksqlite-migrations-auth-');
const usersFile = join(dir, 'password-file');
writeFileSync(usersFile, 'fred: letmein,admin\n');
const h = useServer({
  start: { properties: { 'authentication.method': 'BASIC', 'authentication.roles': 'admin', 'authentication.basic.users.file': usersFile } },
});
test.after.always(() => removeDir(dir));

async function project(name: string, settings: string): Promise<string> {
  const created = await runMigrations(['new-project', join(dir, name), h.url]);
  if (created.code !== 0) throw new Error(created.stderr);
  const config = join(dir, name, 'ksql-migrations.properties');
  appendFileSync(config, settings);
  return config;
}

test('the basic authentication username and password of the config file go with every request', async (t) => {
  const config = await project('auth', 'ksql.auth.basic.username=fred\nksql.auth.basic.password=letmein\n');
  const initialized = await runMigrations(['-c', config, 'initialize-metadata']);
  t.is(initialized.code, 0, initialized.stderr);
  writeFileSync(join(dir, 'auth', 'migrations', 'V000001__First.sql'), "CREATE STREAM auth_first (id VARCHAR KEY) WITH (KAFKA_TOPIC='auth_first', VALUE_FORMAT='JSON', PARTITIONS=1);\n");
  const applied = await runMigrations(['-c', config, 'apply', '--all']);
  t.is(applied.code, 0, applied.stderr);
  t.regex((await runMigrations(['-c', config, 'info'])).stdout, /\n 1 +\| First +\| MIGRATED /);

  const wrong = await project('wrong', 'ksql.auth.basic.username=fred\nksql.auth.basic.password=nope\n');
  const refused = await runMigrations(['-c', wrong, 'info']);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /Unauthorized/);
});

test('apply --headers sends the file\'s headers with its requests', async (t) => {
  const seen: IncomingHttpHeaders[] = [];
  const fake = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ '@type': 'generic_error', error_code: 40100, message: 'Unauthorized' }));
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    const config = join(dir, 'headers.properties');
    writeFileSync(config, `ksql.server.url=${url}\n`);
    const headers = join(dir, 'headers.txt');
    writeFileSync(headers, 'X-First: one two\n\nX-Second=2\n');
    const run = await runMigrations(['-c', config, 'apply', '--all', '--headers', headers]);
    t.is(run.code, 1);
    t.true(seen.length > 0);
    t.is(seen[0]!['x-first'], 'one two');
    t.is(seen[0]!['x-second'], '2');
    writeFileSync(headers, 'no separator here\n');
    const bad = await runMigrations(['-c', config, 'apply', '--all', '--headers', headers]);
    t.is(bad.code, 1);
    t.regex(bad.stderr, /Line 1 of the headers file .* is not 'Name: value' or 'Name=value'/);
  } finally {
    fake.close();
  }
});

test('over https the truststore of the config file vouches for the server; without it the server is not trusted', async (t) => {
  const cert = makeTestCertificate(dir);
  const secure = await startServer(undefined, {
    https: true,
    properties: { 'ssl.keystore.location': cert.pkcs12, 'ssl.keystore.password': cert.pkcs12Password, 'ssl.key.password': cert.pkcs12Password },
  });
  try {
    const url = `https://localhost:${secure.server.port}`;
    const untrusted = join(dir, 'untrusted.properties');
    writeFileSync(untrusted, `ksql.server.url=${url}\n`);
    const refused = await runMigrations(['-c', untrusted, 'initialize-metadata']);
    t.is(refused.code, 1);
    t.regex(refused.stderr, /Could not connect to the server/);
    const trusted = join(dir, 'trusted.properties');
    writeFileSync(trusted, `ksql.server.url=${url}\nssl.truststore.location=${cert.certFile}\nssl.truststore.password=unused\n`);
    const initialized = await runMigrations(['-c', trusted, 'initialize-metadata']);
    t.is(initialized.code, 0, initialized.stderr);
    const jks = join(dir, 'truststore.jks');
    writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    writeFileSync(trusted, `ksql.server.url=${url}\nssl.truststore.location=${jks}\n`);
    const javaStore = await runMigrations(['-c', trusted, 'info']);
    t.is(javaStore.code, 1);
    t.regex(javaStore.stderr, /must be PEM certificates/);
  } finally {
    await stopServer(secure);
  }
});

test('a server that cannot be reached fails the command with exit code 1, naming it', async (t) => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const config = join(dir, 'unreachable.properties');
  writeFileSync(config, `ksql.server.url=${url}\n`);
  const run = await runMigrations(['-c', config, 'initialize-metadata']);
  t.is(run.code, 1);
  t.true(run.stderr.includes(`ERROR: Could not connect to the server at ${url}: ECONNREFUSED`), run.stderr);
  t.regex(run.stdout, /Execution time: \d+\.\d{4} seconds\n$/);
});

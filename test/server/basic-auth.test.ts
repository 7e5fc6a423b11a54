import { writeFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { join } from 'node:path';
import test from 'ava';
import WebSocket from 'ws';
import { createAuthenticator } from '../../src/server/basic-auth.js';
import { KsqlServer } from '../../src/server/ksql-server.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeDataDir, startServer, stopServer, type Harness } from './helpers.js';

// fred: OBF of "letmein" (Jetty's own example), tom: MD5 of "letmein", harry: plain, no allowed role.
const PASSWORDS = [
  'fred: OBF:1w8t1tvf1w261w8v1w1c1tvn1w8x,user,admin',
  'tom: MD5:0d107d09f5bbe40cade3de5c71e9e9b7,admin',
  'harry: changeme,user,developer',
  'dick: CRYPT:adpexzg3FUZAk,admin',
].join('\n');

const dir = makeTempDir('ksqlite-auth-');
const usersFile = join(dir, 'password-file');
writeFileSync(usersFile, PASSWORDS);
const AUTH = {
  'authentication.method': 'BASIC',
  'authentication.realm': 'KsqlServer-Props',
  'authentication.roles': 'admin',
  'authentication.basic.users.file': usersFile,
};

let h: Harness;
test.before(async () => {
  h = await startServer(undefined, { properties: AUTH });
});
test.after.always(async () => {
  if (h !== undefined) await stopServer(h);
  removeDir(dir);
});

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const ENDPOINTS: readonly [string, string, string?][] = [
  ['POST', '/ksql', '{"ksql":"LIST STREAMS;"}'],
  ['POST', '/query-stream', '{"sql":"SELECT 1 FROM X;"}'],
  ['POST', '/query', '{"ksql":"SELECT 1 FROM X;"}'],
  ['POST', '/close-query', '{"queryId":"x"}'],
  ['POST', '/inserts-stream', '{"target":"X"}\n'],
  ['GET', '/info'],
  ['GET', '/metrics'],
  ['GET', '/'],
  ['GET', '/clusterStatus'],
  ['GET', '/status'],
  ['GET', '/status/stream/S/create'],
  ['GET', '/is_valid_property/ksql.service.id'],
  ['POST', '/is_valid_property/ksql.service.id'],
  ['GET', '/no-such-path'],
];

async function call(method: string, path: string, body: string | undefined, authorization?: string): Promise<Response> {
  return fetch(`${h.url}${path}`, {
    method,
    redirect: 'manual',
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    ...(body === undefined ? {} : { body }),
  });
}

test('every endpoint answers 401 with the Basic challenge and ksqlDB error body without credentials or with wrong ones', async (t) => {
  for (const [method, path, body] of ENDPOINTS) {
    for (const authorization of [undefined, basic('fred', 'wrong'), basic('nobody', 'letmein'), 'Basic Og==', 'Bearer abc', 'Basic !!!']) {
      const res = await call(method, path, body, authorization);
      t.is(res.status, 401, `${method} ${path} with ${authorization}`);
      t.is(res.headers.get('www-authenticate'), 'Basic realm="KsqlServer-Props"');
      t.deepEqual(await res.json(), { '@type': 'generic_error', error_code: 40100, message: 'Unauthorized' });
    }
  }
});

test('a user without an allowed role gets 403 on every endpoint', async (t) => {
  for (const [method, path, body] of ENDPOINTS) {
    const res = await call(method, path, body, basic('harry', 'changeme'));
    t.is(res.status, 403, `${method} ${path}`);
    t.deepEqual(await res.json(), { '@type': 'generic_error', error_code: 40300, message: 'Forbidden' });
  }
});

test('users with an allowed role get through, with OBF, MD5 and plain passwords; CRYPT users cannot log in', async (t) => {
  for (const [user, password] of [['fred', 'letmein'], ['tom', 'letmein']] as const) {
    const res = await call('POST', '/ksql', '{"ksql":"LIST STREAMS;"}', basic(user, password));
    t.is(res.status, 200, user);
    t.is(((await res.json()) as { '@type': string }[])[0]!['@type'], 'streams');
  }
  t.is((await call('GET', '/info', undefined, basic('fred', 'letmein'))).status, 200);
  t.is((await call('GET', '/info', undefined, basic('dick', 'adpexzg3FUZAk'))).status, 401);
});

test('/healthcheck is open as in ksqlDB', async (t) => {
  const res = await call('GET', '/healthcheck', undefined);
  t.is(res.status, 200);
  t.is(((await res.json()) as { isHealthy: boolean }).isHealthy, true);
});

function upgrade(authorization?: string): Promise<{ status?: number; body?: string; challenge?: string; opened?: boolean }> {
  const request = encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM NOPE EMIT CHANGES;', streamsProperties: {} }));
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws/query?request=${request}`, authorization === undefined ? {} : { headers: { authorization } });
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode!, body, challenge: res.headers['www-authenticate'] as string }));
    });
    ws.on('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.on('error', () => {});
  });
}

test('the WebSocket upgrade needs credentials: 401, 403, then open', async (t) => {
  const none = await upgrade();
  t.is(none.status, 401);
  t.is(none.challenge, 'Basic realm="KsqlServer-Props"');
  t.deepEqual(JSON.parse(none.body!), { '@type': 'generic_error', error_code: 40100, message: 'Unauthorized' });
  t.is((await upgrade(basic('fred', 'nope'))).status, 401);
  t.is((await upgrade(basic('harry', 'changeme'))).status, 403);
  t.true((await upgrade(basic('fred', 'letmein'))).opened);
});

function h2Request(headers: Record<string, string>): Promise<{ status: number; body: string; challenge?: string }> {
  const session = connect(h.url);
  session.on('error', () => {});
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': '/ksql', 'content-type': 'application/json', ...headers });
    let status = 0;
    let challenge: string | undefined;
    let body = '';
    stream.on('response', (hs) => {
      status = Number(hs[':status']);
      challenge = hs['www-authenticate'] as string | undefined;
    });
    stream.on('data', (c: Buffer) => (body += String(c)));
    stream.on('end', () => {
      session.close();
      resolve({ status, body, ...(challenge === undefined ? {} : { challenge }) });
    });
    stream.on('error', reject);
    stream.end('{"ksql":"LIST STREAMS;"}');
  });
}

test('HTTP/2 requests are checked the same way', async (t) => {
  const none = await h2Request({});
  t.is(none.status, 401);
  t.is(none.challenge, 'Basic realm="KsqlServer-Props"');
  t.is((await h2Request({ authorization: basic('harry', 'changeme') })).status, 403);
  const ok = await h2Request({ authorization: basic('fred', 'letmein') });
  t.is(ok.status, 200);
  t.is(JSON.parse(ok.body)[0]['@type'], 'streams');
});

test('authentication.skip.paths opens more paths, with wildcards', async (t) => {
  const s = await startServer(undefined, { properties: { ...AUTH, 'authentication.skip.paths': '/info,/status*' } });
  try {
    t.is((await fetch(`${s.url}/info`)).status, 200);
    t.is((await fetch(`${s.url}/status/stream/S/create`)).status, 404);
    t.is((await fetch(`${s.url}/clusterStatus`)).status, 401);
  } finally {
    await stopServer(s);
  }
});

test('without authentication.roles nobody is allowed, as in ksqlDB; ** allows any role', async (t) => {
  const { 'authentication.roles': _roles, ...noRoles } = AUTH;
  const s = await startServer(undefined, { properties: noRoles });
  const any = await startServer(undefined, { properties: { ...AUTH, 'authentication.roles': '**' } });
  try {
    t.is((await fetch(`${s.url}/info`, { headers: { authorization: basic('fred', 'letmein') } })).status, 403);
    t.is((await fetch(`${any.url}/info`, { headers: { authorization: basic('harry', 'changeme') } })).status, 200);
  } finally {
    await stopServer(s);
    await stopServer(any);
  }
});

test('a BASIC server without a readable password file, or another method, refuses to start', async (t) => {
  const dataDir = makeDataDir();
  try {
    const start = (properties: Record<string, string>): Promise<KsqlServer> => KsqlServer.start({ host: '127.0.0.1', port: 0, dataDir, properties });
    await t.throwsAsync(start({ 'authentication.method': 'BASIC' }), { message: /authentication\.basic\.users\.file/ });
    await t.throwsAsync(start({ ...AUTH, 'authentication.basic.users.file': join(dir, 'missing') }), { message: /Cannot read authentication\.basic\.users\.file .*ENOENT/ });
    await t.throwsAsync(start({ ...AUTH, 'authentication.method': 'BEARER' }), { message: /Unsupported authentication\.method 'BEARER'/ });
  } finally {
    removeDir(dataDir);
  }
});

test('with authentication off, an Authorization header is ignored', async (t) => {
  const s = await startServer();
  try {
    t.is((await fetch(`${s.url}/info`, { headers: { authorization: 'Basic Og==' } })).status, 200);
  } finally {
    await stopServer(s);
  }
});

test('the start warns about users that cannot log in and about a role list that lets nobody in', (t) => {
  const { 'authentication.roles': _roles, ...noRoles } = AUTH;
  t.deepEqual(createAuthenticator(noRoles)?.warnings, [
    "user 'dick' cannot log in: CRYPT: (Unix DES crypt) passwords are not supported; use MD5:, OBF: or plain text",
    'authentication.roles lists no role, so every user is refused (403), as in ksqlDB; ** allows any role',
  ]);
  t.is(createAuthenticator({ ...AUTH, 'authentication.roles': '**' })?.warnings.length, 1);
  t.is(createAuthenticator({}), undefined);
});

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { connect } from 'node:http2';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import test from 'ava';
import WebSocket from 'ws';
import { KsqlServer } from '../../src/server/ksql-server.js';
import { resolveServerOptions } from '../../src/server/server-options.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import { makeDataDir, startServer, stopServer, type Harness } from './helpers.js';

const dir = makeTempDir('ksqlite-tls-');
const cert = makeTestCertificate(dir);
const usersFile = join(dir, 'password-file');
writeFileSync(usersFile, 'fred: letmein,admin\n');
const basic = `Basic ${Buffer.from('fred:letmein').toString('base64')}`;

const PKCS12 = { 'ssl.keystore.location': cert.pkcs12, 'ssl.keystore.password': cert.pkcs12Password, 'ssl.key.password': cert.pkcs12Password };

let h: Harness;
test.before(async () => {
  h = await startServer(undefined, {
    https: true,
    properties: {
      ...PKCS12,
      'authentication.method': 'BASIC',
      'authentication.roles': 'admin',
      'authentication.basic.users.file': usersFile,
    },
  });
});
test.after.always(async () => {
  if (h !== undefined) await stopServer(h);
  removeDir(dir);
});

const httpsUrl = (): string => `https://127.0.0.1:${h.server.port}`;

function h1(path: string, method: string, body?: string, authorization = basic): Promise<{ status: number; body: string; alpn: string | false | null }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${httpsUrl()}${path}`, { method, ca: cert.cert, agent: false, ALPNProtocols: ['http/1.1'], headers: { authorization, 'content-type': 'application/json' } } as RequestOptions, (res) => {
      const alpn = (res.socket as TLSSocket).alpnProtocol;
      let text = '';
      res.on('data', (c: Buffer) => (text += String(c)));
      res.on('end', () => resolve({ status: res.statusCode!, body: text, alpn }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('the server names its https URL and serves HTTP/1.1 over TLS with a PKCS12 keystore', async (t) => {
  t.is(h.server.url, `https://127.0.0.1:${h.server.port}`);
  const info = await h1('/info', 'GET');
  t.is(info.status, 200);
  t.is(JSON.parse(info.body).KsqlServerInfo.serverStatus, 'RUNNING');
  t.is(info.alpn, 'http/1.1');
  t.is((await h1('/info', 'GET', undefined, 'Basic Og==')).status, 401);
});

test('HTTP/2 over TLS is chosen by ALPN on the same port', async (t) => {
  const session = connect(httpsUrl(), { ca: cert.cert });
  try {
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': '/ksql', 'content-type': 'application/json', authorization: basic });
      let status = 0;
      let body = '';
      stream.on('response', (hs) => (status = Number(hs[':status'])));
      stream.on('data', (c: Buffer) => (body += String(c)));
      stream.on('end', () => resolve({ status, body }));
      stream.on('error', reject);
      stream.end('{"ksql":"LIST STREAMS;"}');
    });
    t.is(session.alpnProtocol, 'h2');
    t.is(result.status, 200);
    t.is(JSON.parse(result.body)[0]['@type'], 'streams');
  } finally {
    session.close();
  }
});

test('WebSockets work over wss', async (t) => {
  const request = encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM NOPE EMIT CHANGES;', streamsProperties: {} }));
  const ws = new WebSocket(`wss://127.0.0.1:${h.server.port}/ws/query?request=${request}`, { ca: cert.cert, headers: { authorization: basic } });
  const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    ws.on('error', reject);
  });
  t.is(closed.code, 1003);
  t.regex(closed.reason, /NOPE/);
});

test('a client that does not trust the certificate cannot connect, and plain HTTP gets no answer', async (t) => {
  await t.throwsAsync(fetch(`${httpsUrl()}/info`), { message: /fetch failed/ });
  await t.throwsAsync(fetch(`http://127.0.0.1:${h.server.port}/info`, { signal: AbortSignal.timeout(5000) }));
});

function curl(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', ...args], (error, stdout) => resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? -1), stdout }));
  });
}

test('curl with --cacert talks HTTP/1.1 and HTTP/2 to the server', async (t) => {
  for (const version of ['--http1.1', '--http2']) {
    const res = await curl([version, '--cacert', cert.certFile, '-u', 'fred:letmein', '-w', '\n%{http_version}', `${httpsUrl()}/info`]);
    t.is(res.code, 0, version);
    const [body, httpVersion] = res.stdout.split('\n');
    t.is(JSON.parse(body!).KsqlServerInfo.serverStatus, 'RUNNING');
    t.is(httpVersion, version === '--http2' ? '2' : '1.1');
  }
  t.not((await curl([`${httpsUrl()}/info`])).code, 0, 'without --cacert curl refuses the self-signed certificate');
});

test('PEM keystores: one file with key and chain, or the PEM text in ssl.keystore.key and ssl.keystore.certificate.chain', async (t) => {
  const cases: Record<string, string>[] = [
    { 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': cert.pemKeystore },
    { 'ssl.keystore.location': cert.pemKeystore },
    { 'ssl.keystore.key': readFileSync(cert.keyFile, 'utf8'), 'ssl.keystore.certificate.chain': cert.cert },
  ];
  for (const properties of cases) {
    const s = await startServer(undefined, { https: true, properties });
    try {
      const res = await new Promise<number>((resolve, reject) => {
        httpsRequest(`https://127.0.0.1:${s.server.port}/healthcheck`, { ca: cert.cert }, (r) => {
          r.resume();
          resolve(r.statusCode!);
        }).on('error', reject).end();
      });
      t.is(res, 200);
    } finally {
      await stopServer(s);
    }
  }
});

test('listeners=https://... in the config file turns TLS on; bad TLS settings refuse the start with a clear message', async (t) => {
  const config = join(dir, 'server.properties');
  writeFileSync(config, 'listeners=https://127.0.0.1:0\n');
  t.true(resolveServerOptions(['--config', config], {}).https);
  writeFileSync(config, 'listeners=http://127.0.0.1:0\n');
  t.falsy(resolveServerOptions(['--config', config], {}).https);

  const dataDir = makeDataDir();
  const start = (properties: Record<string, string>): Promise<KsqlServer> => KsqlServer.start({ host: '127.0.0.1', port: 0, dataDir, properties, https: true });
  const jks = join(dir, 'keystore.jks');
  writeFileSync(jks, Buffer.from('feedfeed0000000200000001', 'hex'));
  try {
    await t.throwsAsync(start({}), { message: /needs ssl\.keystore\.location/ });
    await t.throwsAsync(start({ 'ssl.keystore.location': join(dir, 'missing.p12') }), { message: /Cannot read ssl\.keystore\.location .*ENOENT/ });
    await t.throwsAsync(start({ ...PKCS12, 'ssl.keystore.password': 'wrong', 'ssl.key.password': 'wrong' }), { message: /Cannot use the TLS keystore/ });
    await t.throwsAsync(start({ 'ssl.keystore.location': jks }), { message: /JKS keystore, which Node cannot read: convert it with `keytool -importkeystore/ });
    await t.throwsAsync(start({ ...PKCS12, 'ssl.client.authentication': 'REQUIRED' }), { message: /ssl\.client\.authentication=REQUIRED is not supported/ });
    await t.throwsAsync(start({ ...PKCS12, 'ssl.enabled.protocols': 'TLSv1.1' }), { message: /Unsupported protocol 'TLSv1\.1'/ });
    await t.throwsAsync(start({ ...PKCS12, 'ssl.keystore.alias': 'server' }), { message: /ssl\.keystore\.alias is not supported/ });
  } finally {
    removeDir(dataDir);
  }
});

test('ssl.enabled.protocols bounds the TLS versions', async (t) => {
  const s = await startServer(undefined, { https: true, properties: { ...PKCS12, 'ssl.enabled.protocols': 'TLSv1.3' } });
  try {
    const get = (maxVersion: 'TLSv1.2' | 'TLSv1.3'): Promise<number> => new Promise<number>((resolve, reject) => {
      httpsRequest(`https://127.0.0.1:${s.server.port}/healthcheck`, { ca: cert.cert, agent: false, maxVersion }, (r) => {
        r.resume();
        resolve(r.statusCode!);
      }).on('error', reject).end();
    });
    t.is(await get('TLSv1.3'), 200);
    await t.throwsAsync(get('TLSv1.2'), { message: /protocol version|alert/i });
  } finally {
    await stopServer(s);
  }
});

test('SHOW PROPERTIES hides the keystore passwords, as ksqlDB obfuscates secrets', async (t) => {
  const res = await h1('/ksql', 'POST', '{"ksql":"SHOW PROPERTIES;"}');
  t.is(res.status, 200);
  t.false(res.body.includes(cert.pkcs12Password));
  const properties = JSON.parse(res.body)[0].properties as { name: string; value: string }[];
  t.is(properties.find((p) => p.name === 'ssl.keystore.password')?.value, '[hidden]');
});

test('over TLS, a connection that never handshakes and one that handshakes but sends no request are closed by the header timeout', async (t) => {
  const s = await startServer(makeDataDir(), { https: true, properties: { ...PKCS12, 'ksqlite.http.header.timeout.ms': '400' } });
  try {
    const { connect: connectTcp } = await import('node:net');
    const { connect: connectTls } = await import('node:tls');
    const closedAfter = (socket: import('node:net').Socket): Promise<number> => {
      const start = Date.now();
      socket.on('error', () => {});
      return new Promise((resolve) => socket.once('close', () => resolve(Date.now() - start)));
    };
    const raw = connectTcp(s.server.port, '127.0.0.1');
    const tls = connectTls({ port: s.server.port, host: '127.0.0.1', ca: cert.cert, ALPNProtocols: ['http/1.1'] });
    await new Promise<void>((resolve) => tls.once('secureConnect', () => resolve()));
    const [rawMs, tlsMs] = await Promise.all([closedAfter(raw), closedAfter(tls)]);
    t.true(rawMs < 3000, `raw closed after ${rawMs} ms`);
    t.true(tlsMs >= 300 && tlsMs < 3000, `TLS closed after ${tlsMs} ms`);
  } finally {
    await stopServer(s);
  }
});

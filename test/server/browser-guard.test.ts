import { request as httpRequest } from 'node:http';
import { connect } from 'node:http2';
import test from 'ava';
import WebSocket from 'ws';
import { runSql, startServer, stopServer, useServer, type Harness } from './helpers.js';

const h = useServer({ statements: ["CREATE STREAM EVENTS (ID INT KEY, KIND STRING) WITH (KAFKA_TOPIC='events', PARTITIONS=1, VALUE_FORMAT='JSON');"] });

/** Raw HTTP/1.1, so the Host and Origin headers are exactly the ones given (fetch would set its own). */
function raw(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, setHost: headers.host === undefined }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += String(c)));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function streams(): Promise<string[]> {
  const res = await runSql(h, 'LIST STREAMS;');
  return (res.body[0].streams as { name: string }[]).map((s) => s.name);
}

test.serial('a simple text/plain POST from another site runs nothing and gets 403', async (t) => {
  const res = await raw(`${h.url}/ksql`, 'POST', { origin: 'https://evil.example', 'content-type': 'text/plain' },
    JSON.stringify({ ksql: "CREATE STREAM PWNED (ID INT) WITH (KAFKA_TOPIC='pwned', PARTITIONS=1, VALUE_FORMAT='JSON');" }));
  t.is(res.status, 403);
  t.deepEqual(JSON.parse(res.body), { '@type': 'generic_error', error_code: 40300, message: 'Cross-origin requests from https://evil.example are not allowed (see access.control.allow.origin).' });
  t.is(res.headers['access-control-allow-origin'], undefined);
  t.false((await streams()).includes('PWNED'));
});

test('requests from the server\'s own origin, and requests without an Origin, go through', async (t) => {
  const own = await raw(`${h.url}/ksql`, 'POST', { origin: h.url, 'content-type': 'application/json' }, '{"ksql":"LIST STREAMS;"}');
  t.is(own.status, 200);
  t.is((await raw(`${h.url}/info`, 'GET', {})).status, 200);
});

test('a preflight from another site is refused without CORS settings', async (t) => {
  const res = await raw(`${h.url}/ksql`, 'OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
  t.is(res.status, 403);
  t.is(res.headers['access-control-allow-origin'], undefined);
});

test('a server bound to loopback refuses a Host that is not a loopback name (DNS rebinding)', async (t) => {
  const port = h.server.port;
  const rebound = await raw(`${h.url}/info`, 'GET', { host: `evil.example:${port}` });
  t.is(rebound.status, 403);
  t.regex(JSON.parse(rebound.body).message, /The Host 'evil\.example:\d+' is not allowed/);
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) t.is((await raw(`${h.url}/info`, 'GET', { host })).status, 200, host);
});

test('HTTP/2 requests are checked the same way, by their :authority', async (t) => {
  const session = connect(h.url);
  session.on('error', () => {});
  const status = (headers: Record<string, string>): Promise<number> => new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': '/ksql', 'content-type': 'text/plain', ...headers });
    stream.on('response', (hs) => resolve(Number(hs[':status'])));
    stream.on('error', reject);
    stream.resume();
    stream.end('{"ksql":"LIST STREAMS;"}');
  });
  try {
    t.is(await status({ origin: 'https://evil.example' }), 403);
    t.is(await status({ ':authority': `evil.example:${h.server.port}` }), 403);
    t.is(await status({}), 200);
  } finally {
    session.close();
  }
});

test('a WebSocket upgrade from another site is refused', async (t) => {
  const request = encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM EVENTS EMIT CHANGES;', streamsProperties: {} }));
  const status = await new Promise<number | 'open'>((resolve) => {
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws/query?request=${request}`, { origin: 'https://evil.example' });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('error', () => {});
  });
  t.is(status, 403);
});

test('CORS settings allow listed origins (with wildcards): preflight 204 with the allowed methods and headers, then the request with its CORS headers', async (t) => {
  let s: Harness | undefined;
  try {
    s = await startServer(undefined, { host: '0.0.0.0', properties: { 'access.control.allow.origin': 'https://app.example,https://*.trusted.example', 'access.control.allow.methods': 'GET,POST' } });
    const url = `http://127.0.0.1:${s.server.port}`;
    const preflight = await raw(`${url}/ksql`, 'OPTIONS', { origin: 'https://ui.trusted.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    t.is(preflight.status, 204);
    t.is(preflight.headers['access-control-allow-origin'], 'https://ui.trusted.example');
    t.is(preflight.headers['access-control-allow-methods'], 'GET,POST');
    t.regex(String(preflight.headers['access-control-allow-headers']), /Content-Type/);
    const post = await raw(`${url}/ksql`, 'POST', { origin: 'https://app.example', 'content-type': 'application/json' }, '{"ksql":"LIST STREAMS;"}');
    t.is(post.status, 200);
    t.is(post.headers['access-control-allow-origin'], 'https://app.example');
    t.is(post.headers.vary, 'Origin');
    t.is(preflight.headers['access-control-allow-private-network'], undefined, 'granted only when asked');
    const privateNetwork = await raw(`${url}/query-stream`, 'OPTIONS', { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-private-network': 'true' });
    t.is(privateNetwork.status, 204);
    t.is(privateNetwork.headers['access-control-allow-private-network'], 'true', "Chrome's Private Network Access preflight is granted to an allowed origin");
    const privateRefused = await raw(`${url}/query-stream`, 'OPTIONS', { origin: 'https://other.example', 'access-control-request-method': 'POST', 'access-control-request-private-network': 'true' });
    t.is(privateRefused.status, 403);
    t.is(privateRefused.headers['access-control-allow-private-network'], undefined);
    t.is((await raw(`${url}/ksql`, 'OPTIONS', { origin: 'https://app.example', 'access-control-request-method': 'DELETE' })).status, 403);
    t.is((await raw(`${url}/ksql`, 'POST', { origin: 'https://other.example' }, '{"ksql":"LIST STREAMS;"}')).status, 403);
    // bound to every interface: any Host is fine
    t.is((await raw(`${url}/info`, 'GET', { host: 'ksql.example:8088' })).status, 200);
  } finally {
    if (s !== undefined) await stopServer(s);
  }
});

test('the embedded Schema Registry refuses other sites and non-loopback Hosts too', async (t) => {
  const s = await startServer(undefined, { schemaRegistryPort: 0 });
  try {
    const registry = s.server.schemaRegistry!.url;
    const schema = JSON.stringify({ schema: JSON.stringify({ type: 'string' }) });
    const evil = await raw(`${registry}/subjects/x-value/versions`, 'POST', { origin: 'https://evil.example', 'content-type': 'text/plain' }, schema);
    t.is(evil.status, 403);
    t.is((await raw(`${registry}/subjects`, 'GET', { host: 'evil.example' })).status, 403);
    t.deepEqual(JSON.parse((await raw(`${registry}/subjects`, 'GET', {})).body), []);
  } finally {
    await stopServer(s);
  }
});

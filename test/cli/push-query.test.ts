/**
 * Push queries against a stand-in for /query-stream that follows ksqlDB's
 * documented delimited protocol (a header object line, then one JSON array
 * per row), streaming a row every few milliseconds until the client goes
 * away, so the shell's side of the protocol is checked on its own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import { PtyShell, runShell, tempDir } from './helpers.js';

interface Seen {
  queries: { sql: string; properties: Record<string, string> }[];
  disconnected: number;
  closed: string[];
}

const seen: Seen = { queries: [], disconnected: 0, closed: [] };
let server: Server;
let url: string;

function readBody(req: IncomingMessage): Promise<any> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => resolve(text === '' ? undefined : JSON.parse(text)));
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

test.before(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.url === '/info') return json(res, 200, { KsqlServerInfo: { version: '0.29.0', ksqlServiceId: 'stub', serverStatus: 'RUNNING' } });
    if (req.url === '/healthcheck') return json(res, 200, { isHealthy: true });
    if (req.url === '/ksql') return json(res, 200, []);
    if (req.url === '/close-query') {
      seen.closed.push(body.queryId);
      return json(res, 200, {});
    }
    if (req.url !== '/query-stream') return json(res, 404, { '@type': 'generic_error', error_code: 40400, message: 'no' });
    seen.queries.push({ sql: body.sql, properties: body.properties });
    if (/NOPE/.test(body.sql)) return json(res, 400, { '@type': 'statement_error', error_code: 40001, message: 'NOPE does not exist.' });
    const push = /EMIT CHANGES/i.test(body.sql);
    const limit = /LIMIT (\d+)/i.exec(body.sql);
    res.writeHead(200, { 'content-type': 'application/vnd.ksqlapi.delimited.v1' });
    res.write(`${JSON.stringify({ ...(push ? { queryId: 'transient_Q_1' } : {}), columnNames: ['ID', 'NAME'], columnTypes: ['INTEGER', 'STRING'] })}\n`);
    if (/FAILS/.test(body.sql)) {
      res.end(`[1,"row 1"]\n${JSON.stringify({ '@type': 'generic_error', error_code: 50000, message: 'The query failed.' })}\n`);
      return;
    }
    let n = 0;
    const max = push ? (limit ? Number(limit[1]) : Infinity) : 2;
    const timer = setInterval(() => {
      n++;
      res.write(`[${n},"row ${n}"]\n`);
      if (n >= max) {
        clearInterval(timer);
        res.end();
      }
    }, 20);
    res.on('close', () => {
      clearInterval(timer);
      if (!res.writableEnded) seen.disconnected++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.after.always(() => {
  server.closeAllConnections();
  server.close();
});

test.serial('Ctrl-C cancels a running push query and the shell prompts again', async (t) => {
  const shell = new PtyShell(['--server', url], { KSQLITE_HISTORY_FILE: join(tempDir(), 'h') });
  try {
    await shell.waitFor('ksql> ');
    const mark = shell.text.length;
    shell.write('SELECT * FROM PEOPLE EMIT CHANGES;\r');
    await shell.waitFor(/\|ID +\|NAME +\|\n\+-+\+-+\+\nPress CTRL-C to interrupt\n[\s\S]*\|3 +\|row 3 +\|/, mark);
    shell.write('\u0003');
    await shell.waitFor(/Query terminated\nksql> $/, mark);
    t.deepEqual(seen.closed, ['transient_Q_1']);
    t.true(seen.disconnected >= 1);
    const after = shell.text.length;
    shell.write('SELECT * FROM PEOPLE EMIT CHANGES LIMIT 2;\r');
    const out = await shell.waitFor(/Limit Reached\nQuery terminated\nksql> $/, after);
    t.regex(out, /\|2 +\|row 2 +\|/);
    t.is(await shell.exit(), 0);
  } finally {
    shell.kill();
  }
});

test.serial('a pull query prints its rows in a closed frame, and the local properties go with the query', async (t) => {
  const res = await runShell(['--server', url, '-e', "SET 'auto.offset.reset'='earliest'; SELECT * FROM PEOPLE;"]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /\+-+\+-+\+\n\|ID +\|NAME +\|\n\+-+\+-+\+\n\|1 +\|row 1 +\|\n\|2 +\|row 2 +\|\n\+-+\+-+\+\nQuery terminated\n$/);
  t.deepEqual(seen.queries.at(-1), { sql: 'SELECT * FROM PEOPLE;', properties: { 'auto.offset.reset': 'earliest' } });
});

test.serial('a query the server refuses fails the run with its message', async (t) => {
  const res = await runShell(['--server', url, '-e', 'SELECT * FROM NOPE;']);
  t.is(res.code, 1);
  t.is(res.stderr.trim(), 'NOPE does not exist.');
});

test.serial('OUTPUT JSON prints each row as an object', async (t) => {
  const res = await runShell(['--server', url, '-e', 'OUTPUT JSON; SELECT * FROM PEOPLE;']);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /\{"ID":1,"NAME":"row 1"\}\n\{"ID":2,"NAME":"row 2"\}\nQuery terminated/);
});

test.serial('an error line in the middle of the stream ends the query with that error', async (t) => {
  const res = await runShell(['--server', url, '-e', 'SELECT * FROM FAILS EMIT CHANGES; SHOW STREAMS;']);
  t.is(res.code, 1);
  t.regex(res.stdout, /\|1 +\|row 1 +\|/);
  t.notRegex(res.stdout, /Query terminated/);
  t.is(res.stderr.trim(), 'The query failed.');
});

/** The console's files as the server serves them (the browser tests drive the page itself). */
import { readdirSync, readFileSync } from 'node:fs';
import test from 'ava';
import { request, useServer } from './helpers.js';

const h = useServer();

test('GET / from a browser (Accept: text/html) is the console page; other clients still get the redirect to /info', async (t) => {
  const page = await fetch(`${h.url}/`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }, redirect: 'manual' });
  t.is(page.status, 200);
  t.regex(page.headers.get('content-type') ?? '', /^text\/html/);
  t.regex(await page.text(), /<title>ksqlite console<\/title>/);
  const api = await fetch(`${h.url}/`, { redirect: 'manual' });
  t.is(api.status, 307);
  t.is(api.headers.get('location'), '/info');
});

test('the console\'s modules are served as JavaScript, and every module one imports exists', async (t) => {
  const dir = new URL('../../../console/', import.meta.url);
  const modules = readdirSync(dir).filter((f) => f.endsWith('.js'));
  t.true(modules.includes('main.js'));
  for (const file of modules) {
    const res = await fetch(`${h.url}/console/${file}`);
    t.is(res.status, 200, file);
    t.regex(res.headers.get('content-type') ?? '', /javascript/, file);
    for (const [, imported] of readFileSync(new URL(file, dir), 'utf8').matchAll(/^import .* from '\.\/([^']+)';$/gm)) {
      t.true(modules.includes(imported!), `${file} imports ${imported}`);
    }
  }
});

test('the keywords the editor highlights come from the parser', async (t) => {
  const res = await request(`${h.url}/console/keywords.json`);
  t.is(res.status, 200);
  t.true(res.body.reserved.includes('SELECT'));
  t.true(res.body.nonReserved.includes('EMIT'));
});

test('nothing outside the console folder is served under /console', async (t) => {
  for (const path of ['/console/../package.json', '/console/%2e%2e/package.json', '/console/']) {
    const res = await fetch(`${h.url}${path}`);
    t.is(res.status, 404, path);
  }
});

/**
 * The example dashboard (examples/dashboard.html) in headless Chromium,
 * served by a second HTTP server on another port, so every call it makes to
 * ksqlite is cross-origin: with its origin in access.control.allow.origin it
 * gets through the preflight and charts a push query live, and so it does
 * opened from a file when `null` is listed; from an origin not
 * listed the browser is refused and the page says so.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, launchChromium, screenshot } from '../helpers/chromium.js';
import { runSqlOrThrow, startServer, stopServer, type Harness } from './helpers.js';

if (CHROMIUM_MISSING !== null) console.log(`skipping the dashboard's browser tests: ${CHROMIUM_MISSING}`);
const browserTest = CHROMIUM_MISSING === null ? test.serial : test.serial.skip;

const PAGE = readFileSync(new URL('../../../examples/dashboard.html', import.meta.url));

/** A plain static server for the example page: its own origin. */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let allowed: { server: Server; origin: string };
let other: { server: Server; origin: string };
let h: Harness;
let browser: Browser | undefined;

test.before(async () => {
  allowed = await pageServer();
  other = await pageServer();
  // `null` is the origin of a page opened from a file.
  h = await startServer(undefined, { properties: { 'access.control.allow.origin': `${allowed.origin},null` } });
  await runSqlOrThrow(h, "CREATE STREAM READINGS (SENSOR VARCHAR KEY, TEMP DOUBLE) WITH (KAFKA_TOPIC='readings', PARTITIONS=1, VALUE_FORMAT='JSON');");
  await runSqlOrThrow(h, "INSERT INTO READINGS (SENSOR, TEMP) VALUES ('s1', 20.5); INSERT INTO READINGS (SENSOR, TEMP) VALUES ('s2', 21.5);");
  if (CHROMIUM_MISSING === null) browser = await launchChromium();
});

test.after.always(async () => {
  await browser?.close();
  if (h !== undefined) await stopServer(h);
  allowed?.server.close();
  other?.server.close();
});

function dashboardUrl(base: string): string {
  const params = new URLSearchParams({ server: h.url, sql: 'SELECT SENSOR, TEMP FROM READINGS EMIT CHANGES;', start: '' });
  return `${base}?${params}`;
}

async function open(origin: string): Promise<Page> {
  const page = await browser!.newPage();
  await page.goto(dashboardUrl(`${origin}/`));
  return page;
}

browserTest('from an allowed origin the dashboard streams a push query: rows and chart grow live', async (t) => {
  const page = await open(allowed.origin);
  const rows = page.getByRole('table', { name: 'Latest rows' }).locator('tbody tr');
  await rows.nth(1).waitFor();
  await page.locator('canvas[data-points="2"]').waitFor();
  await runSqlOrThrow(h, "INSERT INTO READINGS (SENSOR, TEMP) VALUES ('s3', 25.0);");
  await page.locator('canvas[data-points="3"]').waitFor();
  t.is(await rows.first().innerText(), 's3\t25');
  t.regex(await page.getByRole('status').textContent() ?? '', /Streaming: 3 rows/);
  await screenshot(page, 'dashboard-allowed');
  await page.close();
});

browserTest('opened from a file (origin null, listed by the server), the dashboard streams too', async (t) => {
  const page = await browser!.newPage();
  await page.goto(dashboardUrl(new URL('../../../examples/dashboard.html', import.meta.url).href));
  await page.locator('canvas[data-points="3"]').waitFor();
  t.regex(await page.getByRole('status').textContent() ?? '', /Streaming: 3 rows/);
  await page.close();
});

browserTest('from an origin the server does not allow, the browser is refused and the page says so', async (t) => {
  const page = await open(other.origin);
  await page.locator('#status.error').waitFor();
  t.regex(await page.getByRole('status').textContent() ?? '', /refused this page's origin/);
  t.is(await page.getByRole('table', { name: 'Latest rows' }).locator('tbody tr').count(), 0);
  await screenshot(page, 'dashboard-refused');
  await page.close();
});

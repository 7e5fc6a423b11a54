/**
 * The web console in headless Chromium, with Basic authentication on (the
 * browser answers the server's challenge with its credentials): a statement
 * typed and run, rows inserted, a push query whose new rows appear live while
 * its chart grows, stopped (also on the server), and a parse error marked in
 * the editor; the side panel's per-query totals, failed messages and lag.
 * Each step leaves a screenshot in test-artifacts/browser/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_MISSING, launchChromium, screenshot } from '../helpers/chromium.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { startServer, stopServer, type Harness } from './helpers.js';

if (CHROMIUM_MISSING !== null) console.log(`skipping the console's browser tests: ${CHROMIUM_MISSING}`);
const browserTest = CHROMIUM_MISSING === null ? test.serial : test.serial.skip;

const dir = makeTempDir('ksqlite-console-');
const usersFile = join(dir, 'password-file');
writeFileSync(usersFile, 'analyst: s3cret,admin\n');
const AUTH = { 'authentication.method': 'BASIC', 'authentication.roles': 'admin', 'authentication.basic.users.file': usersFile };
const CREDENTIALS = { Authorization: `Basic ${Buffer.from('analyst:s3cret').toString('base64')}` };

let h: Harness;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;

test.before(async () => {
  h = await startServer(undefined, { properties: AUTH });
  if (CHROMIUM_MISSING !== null) return;
  browser = await launchChromium();
  context = await browser.newContext({ httpCredentials: { username: 'analyst', password: 's3cret' }, viewport: { width: 1100, height: 760 } });
  page = await context.newPage();
  await page.goto(`${h.url}/`);
  await page.waitForSelector('body[data-ready=true]');
});

test.after.always(async () => {
  await browser?.close();
  if (h !== undefined) await stopServer(h);
  removeDir(dir);
});

const editor = (): ReturnType<Page['getByRole']> => page.getByRole('textbox', { name: /SQL statements of Tab 1/ });

async function runInEditor(sql: string): Promise<void> {
  await editor().fill(sql);
  await editor().press('Control+Enter');
}

async function insert(values: string): Promise<void> {
  const res = await fetch(`${h.url}/ksql`, { method: 'POST', headers: CREDENTIALS, body: JSON.stringify({ ksql: `INSERT INTO READINGS (SENSOR, TEMP) VALUES (${values});` }) });
  if (res.status !== 200) throw new Error(`insert failed: ${res.status} ${await res.text()}`);
}

/** Waits (up to 15 s, through the panel's refreshes) until a figure of the side panel is a number that passes `ok`. */
async function waitForFigure(figure: ReturnType<Page['locator']>, ok: (n: number) => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const text = await figure.textContent();
    if (text !== null && text !== '-' && ok(Number(text))) return;
    if (Date.now() > deadline) throw new Error(`the figure stayed ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

browserTest('without credentials the console is refused with the Basic challenge the browser prompts for', async (t) => {
  const res = await fetch(`${h.url}/`, { headers: { accept: 'text/html' } });
  t.is(res.status, 401);
  t.regex(res.headers.get('www-authenticate') ?? '', /^Basic realm=/);
});

browserTest('a CREATE STREAM typed into the editor runs, and the side panel lists the stream', async (t) => {
  await screenshot(page, '01-loaded');
  await editor().click();
  await page.keyboard.type("CREATE STREAM readings (sensor VARCHAR KEY, temp DOUBLE) WITH (kafka_topic='readings', partitions=1, value_format='JSON');");
  t.is(await page.locator('.highlight .tok-keyword').first().textContent(), 'CREATE', 'keywords are highlighted');
  await page.keyboard.press('Control+Enter');
  await page.getByText('Stream created').waitFor();
  await page.getByRole('list', { name: 'Streams' }).getByText('READINGS', { exact: true }).waitFor();
  await screenshot(page, '02-created');
  t.pass();
});

browserTest('completion offers the grammar\'s keywords and the server\'s names', async (t) => {
  await editor().fill('SELECT * FROM rea');
  await editor().press('End');
  await editor().press('Control+Space');
  const option = page.getByRole('option', { name: 'readings' });
  await option.waitFor();
  await editor().press('Enter');
  t.is(await editor().inputValue(), 'SELECT * FROM readings');
  await editor().fill('');
  await editor().pressSequentially('EMI');
  await page.getByRole('option', { name: 'EMIT' }).waitFor();
  await editor().press('Escape');
  t.true(await page.getByRole('listbox', { name: 'Completions' }).isHidden());
});

browserTest('rows inserted from the editor; a push query shows them, then new rows live while the chart grows; Stop ends it on the server', async (t) => {
  await runInEditor("INSERT INTO readings (sensor, temp) VALUES ('s1', 20.5);\nINSERT INTO readings (sensor, temp) VALUES ('s2', 21.0);");
  await page.locator('.toolbar button:enabled', { hasText: 'Run' }).waitFor();
  await screenshot(page, '03-inserted');
  await runInEditor("SET 'auto.offset.reset'='earliest';\nSELECT sensor, temp FROM readings EMIT CHANGES;");
  const grid = page.getByRole('table', { name: 'Query results' });
  await grid.locator('tbody tr').nth(1).waitFor();
  t.regex(await page.locator('.session summary').textContent() ?? '', /1 property SET/);
  const chart = page.locator('svg.chart');
  await page.locator('svg.chart[data-points="2"]').waitFor();
  await insert("'s1', 22.5");
  await insert("'s3', 19.0");
  await grid.locator('tbody tr').nth(3).waitFor();
  await page.locator('svg.chart[data-points="4"]').waitFor();
  t.deepEqual(await grid.locator('tbody tr').allInnerTexts(), ['s1\t20.5', 's2\t21', 's1\t22.5', 's3\t19'].map((r) => r));
  t.regex(await chart.getAttribute('aria-label') ?? '', /4 values over time, latest 19/);
  await screenshot(page, '04-live');
  const heading = await page.getByRole('heading', { name: /^Push query / }).textContent();
  const queryId = heading!.replace('Push query ', '');
  t.truthy(h.server.engine.getTransientQuery(queryId), 'the query runs on the server');
  await page.getByRole('button', { name: 'Stop the query' }).click();
  await page.getByText(/4 rows \(ended\)/).waitFor();
  t.true(await page.getByRole('button', { name: 'Stop the query' }).isDisabled());
  await insert("'s4', 30.0");
  t.is(h.server.engine.getTransientQuery(queryId), undefined, 'Stop closed the query on the server');
  t.is(await grid.locator('tbody tr').count(), 4);
  await screenshot(page, '05-stopped');
});

browserTest('a parse error is shown and its position marked in the editor', async (t) => {
  await runInEditor('SHOW STREAMS;\nSELECT * FRM readings;');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  t.regex(await alert.textContent() ?? '', /line 1:10: Syntax Error/);
  const mark = page.locator('mark.error-mark');
  t.is(await mark.textContent(), 'FRM', 'the token at line 1:10 of the second statement');
  t.regex(await mark.getAttribute('title') ?? '', /Syntax Error/);
  t.is(await editor().getAttribute('aria-invalid'), 'true');
  t.truthy(await page.getByRole('table', { name: 'Streams' }).count(), 'the statement before it ran');
  await screenshot(page, '06-parse-error');
  await editor().press('End');
  await editor().pressSequentially(' ');
  t.is(await mark.count(), 0, 'editing clears the mark');
});

browserTest('Pause holds new rows back and Resume shows them', async (t) => {
  await runInEditor("SET 'auto.offset.reset'='earliest';\nSELECT sensor, temp FROM readings EMIT CHANGES;");
  const grid = page.getByRole('table', { name: 'Query results' });
  await grid.locator('tbody tr').nth(4).waitFor();
  await page.getByRole('button', { name: 'Pause the query' }).click();
  await insert("'s5', 31.5");
  await page.getByText('Paused: 1 rows waiting').waitFor();
  t.is(await grid.locator('tbody tr').count(), 5);
  await page.getByRole('button', { name: 'Resume the query' }).click();
  await grid.locator('tbody tr').nth(5).waitFor();
  t.is(await grid.locator('tbody tr').last().innerText(), 's5\t31.5');
  await page.getByRole('button', { name: 'Stop the query' }).click();
  await page.getByText(/rows \(ended\)/).waitFor();
});

browserTest('a pull query fills a grid; a push query on a table charts its latest value per key', async (t) => {
  await runInEditor("SET 'auto.offset.reset'='earliest';\nCREATE TABLE latest AS SELECT sensor, LATEST_BY_OFFSET(temp) AS temp FROM readings GROUP BY sensor;");
  await page.getByText(/Created query with ID/).waitFor();
  await page.getByRole('list', { name: 'Tables' }).getByText('LATEST', { exact: true }).waitFor();
  t.regex(await page.getByRole('list', { name: 'Queries' }).innerText(), /CTAS_LATEST_\d+\s+LATEST\s+RUNNING/);
  await runInEditor("SELECT * FROM latest WHERE sensor = 's1';");
  await page.getByRole('heading', { name: 'Pull query' }).waitFor();
  const grid = page.getByRole('table', { name: 'Query results' });
  await page.getByText('1 row (ended)').waitFor();
  t.deepEqual(await grid.locator('tbody tr').allInnerTexts(), ['s1\t22.5']);
  await runInEditor('SELECT * FROM latest EMIT CHANGES;');
  await page.getByRole('heading', { name: /^Push query / }).waitFor();
  t.is(await page.getByLabel('Chart', { exact: true }).inputValue(), 'key', 'a table is charted per key');
  // The tab's SET 'auto.offset.reset'='earliest' still holds: every sensor so far has its bar.
  await page.locator('svg.chart[data-points="5"]').waitFor();
  t.is(await page.locator('svg.chart rect.bar').count(), 5);
  await insert("'s2', 40.0");
  await page.locator('svg.chart[aria-label$="last changed s2 = 40"]').waitFor();
  t.is(await page.locator('svg.chart rect.bar').count(), 5, 'a key that changes keeps its one bar');
  await insert("'s6', 12.0");
  await page.locator('svg.chart[data-points="6"]').waitFor();
  await screenshot(page, '07-table-chart');
  await page.getByRole('button', { name: 'Stop the query' }).click();
  await page.getByText(/rows \(ended\)/).waitFor();
});

browserTest('the side panel shows each persistent query\'s totals, refreshed, and its failed messages after a bad record', async (t) => {
  const queryId = h.server.engine.listQueries().find((q) => q.id.startsWith('CTAS_LATEST_'))!.id;
  const figures = page.getByRole('list', { name: 'Queries' }).getByLabel(`Statistics of ${queryId}`);
  const figure = (key: string): ReturnType<Page['locator']> => figures.locator(`dd[data-figure=${key}]`);
  await waitForFigure(figure('total'), (n) => n > 0);
  t.regex(await figures.innerText(), /Messages\/s\s+[\d.]+\s+Total messages\s+\d+\s+Failed\s+0\s+Lag\s+\d+/);
  const before = Number(await figure('total').textContent());
  await insert("'s7', 8.5");
  await waitForFigure(figure('total'), (n) => n > before);
  h.server.broker.append('readings', [{ key: Buffer.from('s8'), value: Buffer.from('{not json') }]);
  await waitForFigure(figure('failed'), (n) => n > 0);
  t.is(await figure('failed').textContent(), '1');
  t.is(await figure('lag').textContent(), '0', 'the query has read everything, the bad record too');
  await screenshot(page, '08-query-figures');
});

browserTest('a topic PRINTs into the side panel until stopped', async (t) => {
  await page.getByRole('button', { name: 'Print topic readings' }).click();
  const panel = page.getByRole('region', { name: 'PRINT output' });
  await panel.getByText(/value: \{"TEMP":20\.5\}/).waitFor();
  t.regex(await panel.innerText(), /key: s1/);
  await screenshot(page, '09-print');
  await page.getByRole('button', { name: 'Stop printing readings' }).click();
  await panel.getByText('(stopped)').waitFor();
});

browserTest('variables and SET properties belong to their tab', async (t) => {
  await runInEditor("DEFINE who = 's1';\nSELECT * FROM latest WHERE sensor = '${who}';");
  await page.getByText('1 row (ended)').waitFor();
  t.regex(await page.locator('#panel-1 .session summary').textContent() ?? '', /1 variable defined/);
  await page.getByRole('button', { name: 'New tab' }).click();
  const second = page.getByRole('textbox', { name: /SQL statements of Tab 2/ });
  await second.fill('SHOW VARIABLES;');
  await second.press('Control+Enter');
  await page.locator('#panel-2').getByRole('table', { name: 'Variables' }).waitFor();
  t.is(await page.locator('#panel-2').getByRole('table', { name: 'Variables' }).locator('tbody tr').count(), 0);
  t.regex(await page.locator('#panel-2 .session summary').textContent() ?? '', /0 properties SET, 0 variables defined/);
  await page.getByRole('tab', { name: 'Tab 2' }).press('ArrowLeft');
  t.is(await page.getByRole('tab', { name: 'Tab 1' }).getAttribute('aria-selected'), 'true', 'arrow keys move between tabs');
  t.true(await page.locator('#panel-2').isHidden());
});

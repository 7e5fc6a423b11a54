import test from 'ava';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTopic } from '../helpers/read-topic.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { runSql, runSqlOrThrow, startServer, stopServer, type Harness } from './helpers.js';
import { eventually } from './stream-helpers.js';

/** The package's `ksqlite/udf` entry, as an extension module outside the package imports it. */
const API = new URL('../../src/functions/user/index.js', import.meta.url).href;

const EARLIEST = { streamsProperties: { 'auto.offset.reset': 'earliest' } };

function greetModule(greeting: string, version: string): string {
  return `import { defineFunction } from '${API}';
export const greet = defineFunction({
  name: 'greet', description: 'Greets someone.', author: 'tests', version: '${version}',
  overloads: [
    { params: [{ name: 'who', type: 'STRING' }], returns: 'STRING', implementation: (who) => who === null ? null : '${greeting}, ' + who },
    { params: [{ name: 'who', type: 'STRING' }, { name: 'times', type: 'INTEGER', variadic: true }], returns: 'STRING',
      implementation: (who, ...times) => '${greeting}, ' + who + ' x' + times.reduce((a, b) => a + b, 0) },
  ],
});
`;
}

const OTHERS = `import { defineAggregate, defineFunction, defineTableFunction } from '${API}';
export const fragile = defineFunction({
  name: 'fragile', description: 'Fails on negative numbers.',
  overloads: [{ params: [{ name: 'n', type: 'INTEGER' }], returns: 'INTEGER', implementation: (n) => { if (n < 0) throw new Error('negative ' + n); return n * 2; } }],
});
export const longest = defineAggregate({
  name: 'longest', description: 'The longest string.',
  overloads: [{
    params: [{ name: 's', type: 'STRING' }], returns: 'STRING',
    initialize: () => '', add: (acc, s) => (s !== null && s.length > acc.length ? s : acc), merge: (a, b) => (b.length > a.length ? b : a), result: (acc) => acc,
  }],
});
export const picky_sum = defineAggregate({
  name: 'picky_sum', description: 'Sums, refusing negative numbers.',
  overloads: [{
    params: [{ name: 'n', type: 'INTEGER' }], returns: 'INTEGER',
    initialize: () => 0, add: (acc, n) => { if (n < 0) throw new Error('cannot add ' + n); return acc + n; }, merge: (a, b) => a + b, result: (acc) => acc,
  }],
});
export const letters = defineTableFunction({
  name: 'letters', description: 'One row per letter.',
  overloads: [{ params: [{ name: 's', type: 'STRING' }], returns: 'STRING', implementation: (s) => (s === null ? [] : [...s]) }],
});
export const clash = defineFunction({
  name: 'ucase', description: 'Taken by a built-in.',
  overloads: [{ params: [{ name: 's', type: 'STRING' }], returns: 'STRING', implementation: (s) => s }],
});
`;

async function withExtensions(files: Record<string, string>, body: (h: Harness, dir: string) => Promise<void>, dataDir?: string): Promise<void> {
  const dir = makeTempDir('ksqlite-ext-');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const h = await startServer(dataDir, { properties: { 'ksql.extension.dir': dir } });
  try {
    await body(h, dir);
  } finally {
    await stopServer(h, dataDir === undefined);
    removeDir(dir);
  }
}

function values(h: Harness, topic: string): any[] {
  return h.server.broker.hasTopic(topic) ? readTopic(h.server.broker, topic).map((r) => JSON.parse(String(r.value))) : [];
}

const CREATE_S = "CREATE STREAM S (ID INT KEY, NAME STRING, N INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');";

test('a function module is loaded at start, callable in a query and listed by SHOW FUNCTIONS and DESCRIBE FUNCTION', async (t) => {
  await withExtensions({ 'greet.mjs': greetModule('Hello', '1.0') }, async (h, dir) => {
    await runSqlOrThrow(h, CREATE_S);
    await runSqlOrThrow(h, "INSERT INTO S (ID, NAME, N) VALUES (1, 'Ada', 2);");
    await runSqlOrThrow(h, "CREATE STREAM G AS SELECT ID, GREET(NAME) AS A, GREET(NAME, N, 3) AS B FROM S;", EARLIEST);
    t.true(await eventually(() => values(h, 'G').length === 1, 10_000));
    t.deepEqual(values(h, 'G'), [{ A: 'Hello, Ada', B: 'Hello, Ada x5' }]);

    const list = (await runSqlOrThrow(h, 'SHOW FUNCTIONS;')).body[0];
    t.deepEqual(list.functions.find((f: any) => f.name === 'GREET'), { name: 'GREET', type: 'SCALAR', category: 'OTHER' });
    const described = (await runSqlOrThrow(h, 'DESCRIBE FUNCTION GREET;')).body[0];
    t.like(described, { name: 'GREET', description: 'Greets someone.', author: 'tests', version: '1.0', path: join(dir, 'greet.mjs'), type: 'SCALAR' });
    t.deepEqual(described.functions.map((f: any) => [f.argumentTypes, f.returnType, f.arguments.map((a: any) => a.isVariadic)]),
      [[['STRING'], 'STRING', [false]], [['STRING', 'INTEGER'], 'STRING', [false, true]]]);
  });
});

test('editing a module changes the function for new queries only; a broken edit keeps the last good version; removing it removes its functions', async (t) => {
  await withExtensions({ 'greet.mjs': greetModule('Hello', '1.0') }, async (h, dir) => {
    await runSqlOrThrow(h, CREATE_S);
    await runSqlOrThrow(h, 'CREATE STREAM OLD AS SELECT ID, GREET(NAME) AS G FROM S;', EARLIEST);
    writeFileSync(join(dir, 'greet.mjs'), greetModule('Bonjour', '2.0'));
    t.true(await eventually(async () => (await runSql(h, 'DESCRIBE FUNCTION GREET;')).body[0].version === '2.0', 10_000));
    await runSqlOrThrow(h, 'CREATE STREAM NEW AS SELECT ID, GREET(NAME) AS G FROM S;', EARLIEST);
    await runSqlOrThrow(h, "INSERT INTO S (ID, NAME, N) VALUES (1, 'Ada', 1);");
    t.true(await eventually(() => values(h, 'OLD').length === 1 && values(h, 'NEW').length === 1, 10_000));
    t.deepEqual(values(h, 'OLD'), [{ G: 'Hello, Ada' }]);
    t.deepEqual(values(h, 'NEW'), [{ G: 'Bonjour, Ada' }]);

    // A broken edit keeps the last good version, with a warning.
    writeFileSync(join(dir, 'greet.mjs'), 'export const greet = ;');
    t.true(await eventually(async () => (await runSql(h, 'SHOW FUNCTIONS;')).body[0].warnings.length === 1, 10_000));
    t.is((await runSqlOrThrow(h, 'DESCRIBE FUNCTION GREET;')).body[0].version, '2.0');

    // A removed module takes its functions away; the queries using them run on.
    unlinkSync(join(dir, 'greet.mjs'));
    t.true(await eventually(async () => (await runSql(h, 'DESCRIBE FUNCTION GREET;')).status === 400, 10_000));
    t.true(h.server.engine.listQueries().every((q) => q.state === 'RUNNING'));
  });
});

test('a throwing function sends the record to the processing log with its name; a broken module or a clashing name stops no other', async (t) => {
  await withExtensions({ 'a-broken.mjs': 'export const x = ;', 'greet.mjs': greetModule('Hello', '1.0'), 'others.mjs': OTHERS }, async (h) => {
    const list = (await runSqlOrThrow(h, 'SHOW FUNCTIONS;')).body[0];
    const names = list.functions.map((f: any) => f.name);
    t.true(['GREET', 'FRAGILE', 'LONGEST', 'LETTERS'].every((n) => names.includes(n)));
    const warnings = list.warnings.map((w: any) => w.message).join('\n');
    t.regex(warnings, /Could not load .*a-broken\.mjs/);
    t.regex(warnings, /refused UCASE is a built-in function/);
    t.is((await runSqlOrThrow(h, 'DESCRIBE FUNCTION UCASE;')).body[0].path, 'internal');

    await runSqlOrThrow(h, CREATE_S);
    await runSqlOrThrow(h, 'CREATE STREAM F AS SELECT ID, FRAGILE(N) AS D FROM S;', EARLIEST);
    await runSqlOrThrow(h, 'CREATE TABLE P AS SELECT ID, PICKY_SUM(N) AS T FROM S GROUP BY ID;', EARLIEST);
    await runSqlOrThrow(h, "INSERT INTO S (ID, NAME, N) VALUES (1, 'a', -1);");
    await runSqlOrThrow(h, "INSERT INTO S (ID, NAME, N) VALUES (2, 'b', 4);");
    await runSqlOrThrow(h, "INSERT INTO S (ID, NAME, N) VALUES (2, 'c', 5);");
    t.true(await eventually(() => values(h, 'F').length === 3 && values(h, 'P').length === 3, 10_000));
    t.deepEqual(values(h, 'F'), [{ D: null }, { D: 8 }, { D: 10 }]);
    // The failing row leaves its key's sum as it was; the other keys go on.
    t.deepEqual(values(h, 'P'), [{ T: 0 }, { T: 4 }, { T: 9 }]);
    const logTopic = h.server.engine.config.processingLogTopic;
    const entries = values(h, logTopic).map((e) => e.message.recordProcessingError?.errorMessage);
    t.true(entries.some((m) => /Error in user function FRAGILE: negative -1/.test(m)), JSON.stringify(entries));
    t.true(entries.some((m) => /Error in user function PICKY_SUM: cannot add -1/.test(m)), JSON.stringify(entries));
    t.true(h.server.engine.listQueries().every((q) => q.state === 'RUNNING'));
  });
});

test('a user aggregate works in GROUP BY and a user table function in SELECT', async (t) => {
  await withExtensions({ 'others.mjs': OTHERS }, async (h) => {
    await runSqlOrThrow(h, CREATE_S);
    await runSqlOrThrow(h, 'CREATE TABLE L AS SELECT ID, LONGEST(NAME) AS L FROM S GROUP BY ID;', EARLIEST);
    await runSqlOrThrow(h, 'CREATE STREAM X AS SELECT ID, LETTERS(NAME) AS C FROM S;', EARLIEST);
    for (const name of ['ab', 'abc', 'x']) await runSqlOrThrow(h, `INSERT INTO S (ID, NAME, N) VALUES (1, '${name}', 0);`);
    t.true(await eventually(() => values(h, 'L').length === 3 && values(h, 'X').length === 6, 10_000));
    t.deepEqual(values(h, 'L').map((v) => v.L), ['ab', 'abc', 'abc']);
    t.deepEqual(values(h, 'X').map((v) => v.C), ['a', 'b', 'a', 'b', 'c', 'x']);
  });
});

test('a persistent query whose user function is gone after a restart starts in ERROR, with the reason', async (t) => {
  const dataDir = makeTempDir('ksqlite-ext-data-');
  let queryId = '';
  await withExtensions({ 'greet.mjs': greetModule('Hello', '1.0') }, async (h) => {
    await runSqlOrThrow(h, CREATE_S);
    queryId = (await runSqlOrThrow(h, 'CREATE STREAM G AS SELECT ID, GREET(NAME) AS A FROM S;')).body[0].commandStatus.queryId;
  }, dataDir);
  await withExtensions({}, async (h) => {
    const queries = (await runSqlOrThrow(h, 'SHOW QUERIES;')).body[0].queries;
    t.like(queries.find((q: any) => q.id === queryId), { state: 'ERROR' });
    t.regex(JSON.stringify((await runSqlOrThrow(h, `EXPLAIN ${queryId};`)).body[0]), /GREET/);
  }, dataDir);
  removeDir(dataDir);
});

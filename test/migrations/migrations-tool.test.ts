import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { ksql, queryRows, runMigrations } from './helpers.js';

const dir = makeTempDir('ksqlite-migrations-');
let server: ServerProcess;

test.before(async () => {
  server = await startServerProcess(join(dir, 'data'));
});

test.after.always(async () => {
  await server?.stop('SIGTERM');
  removeDir(dir);
});

/** A new project on the test's server; `settings` are appended to its properties file. */
async function newProject(name: string, settings = ''): Promise<{ config: string; migrations: string }> {
  const project = join(dir, name);
  const created = await runMigrations(['new-project', project, server.url]);
  if (created.code !== 0) throw new Error(created.stderr);
  const config = join(project, 'ksql-migrations.properties');
  appendFileSync(config, settings);
  return { config, migrations: join(project, 'migrations') };
}

/** Waits until the metadata table's rows of version 1 and CURRENT show `state` (an INSERT reaches the table through its query). */
async function tableShows(table: string, state: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await queryRows(server.url, `SELECT STATE FROM ${table} WHERE VERSION_KEY IN ('1', 'CURRENT');`);
    if (rows.length === 2 && rows.every((row) => row[0] === state)) return;
    if (Date.now() > deadline) throw new Error(`${table} did not show ${state}: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function md5(path: string): string {
  return createHash('md5').update(readFileSync(path)).digest('hex');
}

test('a project from new-project to destroy-metadata: create, apply --next and --all, info, validate', async (t) => {
  // About twenty runs of the tool, each a process start: over a minute on a loaded machine.
  t.timeout(300_000);
  const project = join(dir, 'life');
  const created = await runMigrations(['new-project', project, server.url]);
  t.is(created.code, 0, created.stderr);
  t.regex(created.stdout, /Migrations project directory created successfully\nExecution time: \d+\.\d{4} seconds\n$/);
  const config = join(project, 'ksql-migrations.properties');
  const properties = readFileSync(config, 'utf8');
  t.true(properties.startsWith(`ksql.server.url=${server.url}\n`));
  for (const line of ['# ksql.migrations.stream.name=MIGRATION_EVENTS', '# ksql.migrations.table.name=MIGRATION_SCHEMA_VERSIONS', '# ksql.migrations.topic.replicas=1', '# ksql.auth.basic.username=', '# ssl.truststore.location=', '# ksql.migrations.dir.override=']) {
    t.true(properties.includes(`\n${line}\n`), line);
  }
  t.deepEqual(readdirSync(join(project, 'migrations')), []);

  const initialized = await runMigrations(['--config-file', config, 'initialize-metadata']);
  t.is(initialized.code, 0, initialized.stderr);
  t.regex(initialized.stdout, /Creating stream: MIGRATION_EVENTS\nCreating table: MIGRATION_SCHEMA_VERSIONS\nMigrations metadata initialized successfully/);
  const stream = (await ksql(server.url, 'DESCRIBE MIGRATION_EVENTS EXTENDED;'))[0].sourceDescription;
  t.is(stream.topic, 'default_ksql_MIGRATION_EVENTS');
  t.is(stream.partitions, 1);
  t.deepEqual(stream.fields.map((field: { name: string }) => field.name), ['VERSION_KEY', 'VERSION', 'NAME', 'STATE', 'CHECKSUM', 'STARTED_ON', 'COMPLETED_ON', 'PREVIOUS', 'ERROR_REASON']);
  t.is((await ksql(server.url, 'DESCRIBE MIGRATION_SCHEMA_VERSIONS;'))[0].sourceDescription.topic, 'default_ksql_MIGRATION_SCHEMA_VERSIONS');

  // -c may also follow the command's name
  const first = await runMigrations(['-c', config, 'create', 'Create orders']);
  t.is(first.code, 0, first.stderr);
  const second = await runMigrations(['create', 'Enrich_orders', '-c', config]);
  t.is(second.code, 0, second.stderr);
  const v1 = join(project, 'migrations', 'V000001__Create_orders.sql');
  const v2 = join(project, 'migrations', 'V000002__Enrich_orders.sql');
  t.regex(first.stdout, new RegExp(`Creating migration file: ${v1}\nMigration file successfully created`));
  t.is(readFileSync(v1, 'utf8'), '');
  t.true(existsSync(v2));
  writeFileSync(v1, [
    '-- the orders, on the topic --define names',
    "DEFINE format = 'JSON';",
    "CREATE STREAM orders (id VARCHAR KEY, amount INT) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='${format}', PARTITIONS=1);",
    "INSERT INTO orders (id, amount) VALUES ('a; b', 5);",
    '',
  ].join('\n'));
  writeFileSync(v2, [
    "SET 'auto.offset.reset' = 'earliest';",
    'CREATE STREAM big_orders AS SELECT * FROM orders WHERE amount > 1;',
    '',
  ].join('\n'));

  const dryRun = await runMigrations(['-c', config, 'apply', '--next', '--dry-run', '-d', 'topic=orders_topic']);
  t.is(dryRun.code, 0, dryRun.stderr);
  t.regex(dryRun.stdout, /This is a dry run\. No ksqlDB statements will be submitted to the ksqlDB server\./);
  t.regex(dryRun.stdout, /Applying migration version 1: Create orders\n/);
  t.regex(dryRun.stdout, /Dry run complete\. No migrations were actually applied\./);
  t.false((await ksql(server.url, 'SHOW STREAMS;'))[0].streams.some((s: { name: string }) => s.name === 'ORDERS'));

  const next = await runMigrations(['-c', config, 'apply', '--next', '-d', 'topic=orders_topic']);
  t.is(next.code, 0, next.stderr);
  t.regex(next.stdout, /1 migration file\(s\) loaded\.\nApplying migration version 1: Create orders\n/);
  t.regex(next.stdout, /Successfully migrated\n/);
  t.false(next.stdout.includes('version 2'));
  const orders = (await ksql(server.url, 'DESCRIBE orders;'))[0].sourceDescription;
  t.is(orders.topic, 'orders_topic');

  const infoAfterNext = await runMigrations(['-c', config, 'info']);
  t.is(infoAfterNext.code, 0, infoAfterNext.stderr);
  t.regex(infoAfterNext.stdout, /^Current migration version: 1\n Version \| Name +\| State +\| Previous Version \| Started On +\| Completed On +\| Error Reason \n-+\n/);
  t.regex(infoAfterNext.stdout, /\n 1 +\| Create orders +\| MIGRATED \| <none> +\| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \S+ \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \S+ \| N\/A +\n/);
  t.regex(infoAfterNext.stdout, /\n 2 +\| Enrich orders +\| PENDING +\| N\/A +\| N\/A +\| N\/A +\| N\/A +\n/);

  const all = await runMigrations(['-c', config, 'apply', '--all']);
  t.is(all.code, 0, all.stderr);
  t.regex(all.stdout, /1 migration file\(s\) loaded\.\nApplying migration version 2: Enrich orders\n/);
  const info = await runMigrations(['-c', config, 'info']);
  t.regex(info.stdout, /^Current migration version: 2\n/);
  t.regex(info.stdout, /\n 2 +\| Enrich orders +\| MIGRATED \| 1 +\| /);
  // the file's SET reached the server with its statement: the new stream read the row inserted before it
  t.deepEqual(await queryRows(server.url, 'SELECT * FROM big_orders EMIT CHANGES LIMIT 1;', { 'auto.offset.reset': 'earliest' }), [['a; b', 5]]);

  // the metadata rows are ksqlDB's: a row per state under the version and CURRENT, the checksum the file's MD5
  const rows = await queryRows(server.url, "SELECT VERSION_KEY, VERSION, NAME, STATE, CHECKSUM, PREVIOUS, ERROR_REASON FROM MIGRATION_SCHEMA_VERSIONS WHERE VERSION_KEY IN ('1', '2', 'CURRENT');");
  t.deepEqual(rows.sort((a, b) => String(a[0]).localeCompare(String(b[0]))), [
    ['1', '1', 'Create orders', 'MIGRATED', md5(v1), '<none>', 'N/A'],
    ['2', '2', 'Enrich orders', 'MIGRATED', md5(v2), '1', 'N/A'],
    ['CURRENT', '2', 'Enrich orders', 'MIGRATED', md5(v2), '1', 'N/A'],
  ]);
  const states = await queryRows(server.url, "SELECT STATE FROM MIGRATION_EVENTS WHERE VERSION_KEY = '2' EMIT CHANGES LIMIT 2;", { 'auto.offset.reset': 'earliest' });
  t.deepEqual(states, [['RUNNING'], ['MIGRATED']]);

  const nothingLeft = await runMigrations(['-c', config, 'apply', '--all']);
  t.is(nothingLeft.code, 0, nothingLeft.stderr);
  t.regex(nothingLeft.stdout, /No eligible migrations found\./);
  const noNext = await runMigrations(['-c', config, 'apply', '--next']);
  t.is(noNext.code, 1);
  t.regex(noNext.stderr, /No eligible migrations found\./);

  const valid = await runMigrations(['-c', config, 'validate']);
  t.is(valid.code, 0, valid.stderr);
  t.regex(valid.stdout, /Successfully validated checksums for migrations that have already been applied/);
  appendFileSync(v1, '-- edited after it was applied\n');
  const invalid = await runMigrations(['-c', config, 'validate']);
  t.is(invalid.code, 1);
  t.true(invalid.stderr.includes(`Migrations file found for version 1 does not match the checksum saved for this version. Expected checksum: ${rows[0]![4]}. Actual checksum: ${md5(v1)}. File name: ${v1}`), invalid.stderr);
  // apply makes the same check first
  writeFileSync(join(project, 'migrations', 'V000003__More.sql'), "CREATE STREAM more_orders (id VARCHAR KEY) WITH (KAFKA_TOPIC='more', VALUE_FORMAT='JSON', PARTITIONS=1);\n");
  const blocked = await runMigrations(['-c', config, 'apply', '--all']);
  t.is(blocked.code, 1);
  t.regex(blocked.stderr, /does not match the checksum/);
  t.false((await ksql(server.url, 'SHOW STREAMS;'))[0].streams.some((s: { name: string }) => s.name === 'MORE_ORDERS'));

  const destroyed = await runMigrations(['-c', config, 'destroy-metadata']);
  t.is(destroyed.code, 0, destroyed.stderr);
  t.regex(destroyed.stdout, /Found 1 query writing to the metadata table\. Query ID: (CTAS_MIGRATION_SCHEMA_VERSIONS_\d+)\nTerminating query with ID: \1\nDropping migrations metadata table: MIGRATION_SCHEMA_VERSIONS\nDropping migrations metadata stream: MIGRATION_EVENTS\nMigrations metadata cleaned successfully/);
  const names = (await ksql(server.url, 'SHOW STREAMS; SHOW TABLES;')).flatMap((entity) => [...(entity.streams ?? []), ...(entity.tables ?? [])].map((s: { name: string }) => s.name));
  t.false(names.includes('MIGRATION_EVENTS'));
  t.false(names.includes('MIGRATION_SCHEMA_VERSIONS'));
  t.true(names.includes('ORDERS'), 'what the migrations created stays');
  const topics = (await ksql(server.url, 'SHOW TOPICS;'))[0].topics.map((topic: { name: string }) => topic.name);
  t.false(topics.includes('default_ksql_MIGRATION_EVENTS'));
  const uninitialized = await runMigrations(['-c', config, 'info']);
  t.is(uninitialized.code, 1);
  t.regex(uninitialized.stderr, /Failed to verify existence of migrations metadata stream 'MIGRATION_EVENTS'\. Did you run `ksqlite-migrations initialize-metadata`\?/);
});

test('a failing statement leaves its migration in ERROR with the reason and exits 1; a fixed file applies on the next run', async (t) => {
  // its own metadata names, so the project shares the server with the others
  const { config, migrations } = await newProject('failing', 'ksql.migrations.stream.name=FAILING_EVENTS\nksql.migrations.table.name=FAILING_VERSIONS\n');
  const initialized = await runMigrations(['-c', config, 'initialize-metadata']);
  t.is(initialized.code, 0, initialized.stderr);
  t.is((await ksql(server.url, 'DESCRIBE FAILING_EVENTS;'))[0].sourceDescription.topic, 'default_ksql_FAILING_EVENTS');
  writeFileSync(join(migrations, 'V000001__Base.sql'), "CREATE STREAM failing_base (id VARCHAR KEY) WITH (KAFKA_TOPIC='failing_base', VALUE_FORMAT='JSON', PARTITIONS=1);\n");
  const v2 = join(migrations, 'V000002__Broken.sql');
  writeFileSync(v2, [
    "CREATE STREAM failing_first (id VARCHAR KEY) WITH (KAFKA_TOPIC='failing_first', VALUE_FORMAT='JSON', PARTITIONS=1);",
    'CREATE STREAM failing_second AS SELECT * FROM no_such_stream;',
    "CREATE STREAM failing_third (id VARCHAR KEY) WITH (KAFKA_TOPIC='failing_third', VALUE_FORMAT='JSON', PARTITIONS=1);",
    '',
  ].join('\n'));

  const failed = await runMigrations(['-c', config, 'apply', '--all']);
  t.is(failed.code, 1);
  t.regex(failed.stdout, /Applying migration version 1: Base\n[^]*Successfully migrated\n[^]*Applying migration version 2: Broken\n/);
  t.regex(failed.stderr, /ERROR: Failed to execute sql: CREATE STREAM failing_second AS SELECT \* FROM no_such_stream;\. Error: .*NO_SUCH_STREAM/);
  const streams = (await ksql(server.url, 'SHOW STREAMS;'))[0].streams.map((s: { name: string }) => s.name);
  t.true(streams.includes('FAILING_FIRST'), 'a migration is not atomic: the statement before the failed one stays applied');
  t.false(streams.includes('FAILING_THIRD'));
  const info = await runMigrations(['-c', config, 'info']);
  t.is(info.code, 0, info.stderr);
  t.regex(info.stdout, /^Current migration version: 2\n/);
  t.regex(info.stdout, /\n 2 +\| Broken +\| ERROR +\| 1 +\| \d{4}-[^|]+\| \d{4}-[^|]+\| Failed to execute sql: CREATE STREAM failing_second AS SELECT \* FROM no_such_stream;\. Error: /);

  // a statement the tool refuses fails the file before any of its statements runs
  writeFileSync(v2, [
    "CREATE STREAM failing_fourth (id VARCHAR KEY) WITH (KAFKA_TOPIC='failing_fourth', VALUE_FORMAT='JSON', PARTITIONS=1);",
    'SELECT * FROM failing_base EMIT CHANGES;',
    '',
  ].join('\n'));
  const refused = await runMigrations(['-c', config, 'apply', '--next']);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /Failed to parse sql: SELECT \* FROM failing_base EMIT CHANGES;\. Error: 'SELECT' statements are not supported\./);
  t.false((await ksql(server.url, 'SHOW STREAMS;'))[0].streams.some((s: { name: string }) => s.name === 'FAILING_FOURTH'));

  // the version in ERROR is the one the next apply retries
  writeFileSync(v2, "CREATE STREAM failing_fixed (id VARCHAR KEY) WITH (KAFKA_TOPIC='failing_fixed', VALUE_FORMAT='JSON', PARTITIONS=1);\n");
  const fixed = await runMigrations(['-c', config, 'apply', '--all']);
  t.is(fixed.code, 0, fixed.stderr);
  t.regex(fixed.stdout, /Applying migration version 2: Broken\n[^]*Successfully migrated/);
  const after = await runMigrations(['-c', config, 'info']);
  t.regex(after.stdout, /\n 2 +\| Broken +\| MIGRATED \| 1 +\| [^\n]+\| N\/A +\n/);
  t.is((await runMigrations(['-c', config, 'validate'])).code, 0);
});

test('apply refuses to start while the current migration is RUNNING, until the metadata is repaired', async (t) => {
  const { config, migrations } = await newProject('running', 'ksql.migrations.stream.name=RUNNING_EVENTS\nksql.migrations.table.name=RUNNING_VERSIONS\n');
  t.is((await runMigrations(['-c', config, 'initialize-metadata'])).code, 0);
  const v1 = join(migrations, 'V000001__First.sql');
  writeFileSync(v1, "CREATE STREAM running_first (id VARCHAR KEY) WITH (KAFKA_TOPIC='running_first', VALUE_FORMAT='JSON', PARTITIONS=1);\n");
  // what an apply killed in the middle of version 1 leaves behind
  const row = (key: string, state: string): string =>
    `INSERT INTO RUNNING_EVENTS (VERSION_KEY, VERSION, NAME, STATE, CHECKSUM, STARTED_ON, COMPLETED_ON, PREVIOUS, ERROR_REASON) VALUES ('${key}', '1', 'First', '${state}', '${md5(v1)}', '1615441337127', '', '<none>', 'N/A');`;
  await ksql(server.url, row('1', 'RUNNING') + row('CURRENT', 'RUNNING'));
  await tableShows('RUNNING_VERSIONS', 'RUNNING');
  const info = await runMigrations(['-c', config, 'info']);
  t.regex(info.stdout, /\n 1 +\| First +\| RUNNING +\| <none> +\| /);

  const refused = await runMigrations(['-c', config, 'apply', '--all']);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /Migration version 1 is still RUNNING/);
  t.false((await ksql(server.url, 'SHOW STREAMS;'))[0].streams.some((s: { name: string }) => s.name === 'RUNNING_FIRST'));

  // the documented repair: record it as ERROR, then apply runs it again
  await ksql(server.url, row('1', 'ERROR') + row('CURRENT', 'ERROR'));
  await tableShows('RUNNING_VERSIONS', 'ERROR');
  const applied = await runMigrations(['-c', config, 'apply', '--all']);
  t.is(applied.code, 0, applied.stderr);
  t.true((await ksql(server.url, 'SHOW STREAMS;'))[0].streams.some((s: { name: string }) => s.name === 'RUNNING_FIRST'));
});

test('usage errors exit with 1 and say what is wrong', async (t) => {
  const { config } = await newProject('usage');
  const noTarget = await runMigrations(['-c', config, 'apply']);
  t.is(noTarget.code, 1);
  t.regex(noTarget.stderr, /Exactly one of --all, --next, --until <version> and --version <version> is required\./);
  const twoTargets = await runMigrations(['-c', config, 'apply', '--all', '--next']);
  t.is(twoTargets.code, 1);
  const noConfig = await runMigrations(['info']);
  t.is(noConfig.code, 1);
  t.regex(noConfig.stderr, /Migrations config file required but not specified\. Specify with --config-file \(or, equivalently, -c\)\./);
  const badVersion = await runMigrations(['-c', config, 'create', 'x', '-v', '0']);
  t.is(badVersion.code, 1);
  const existing = await runMigrations(['-c', config, 'create', 'First', '-v', '7']);
  t.is(existing.code, 0, existing.stderr);
  const again = await runMigrations(['-c', config, 'create', 'Again', '-v', '7']);
  t.is(again.code, 1);
  t.regex(again.stderr, /Found existing migrations file for version 7: .*V000007__First\.sql/);
  const nextVersion = await runMigrations(['-c', config, 'create', 'Then this']);
  t.regex(nextVersion.stdout, /V000008__Then_this\.sql/);
  const withConfig = await runMigrations(['-c', config, 'new-project', join(dir, 'other'), server.url]);
  t.is(withConfig.code, 1);
  t.regex(withConfig.stderr, /This command does not expect a config file to be passed/);
  const badDefine = await runMigrations(['-c', config, 'apply', '--all', '-d', 'novalue']);
  t.is(badDefine.code, 1);
  t.regex(badDefine.stderr, /expected name=value/);
});

test('--until applies up to a version, --version exactly one newer than the latest applied', async (t) => {
  const { config, migrations } = await newProject('until', 'ksql.migrations.stream.name=UNTIL_EVENTS\nksql.migrations.table.name=UNTIL_VERSIONS\n');
  t.is((await runMigrations(['-c', config, 'initialize-metadata'])).code, 0);
  for (const version of [1, 2, 3, 4]) {
    writeFileSync(join(migrations, `V00000${version}__Step_${version}.sql`), `CREATE STREAM until_${version} (id VARCHAR KEY) WITH (KAFKA_TOPIC='until_${version}', VALUE_FORMAT='JSON', PARTITIONS=1);\n`);
  }
  const until = await runMigrations(['-c', config, 'apply', '--until', '2']);
  t.is(until.code, 0, until.stderr);
  t.regex(until.stdout, /2 migration file\(s\) loaded\.\nApplying migration version 1: Step 1\n[^]*Applying migration version 2: Step 2\n/);
  const older = await runMigrations(['-c', config, 'apply', '--version', '1']);
  t.is(older.code, 1);
  t.regex(older.stderr, /Version must be newer than the last version migrated\. Last version migrated was 2/);
  const missing = await runMigrations(['-c', config, 'apply', '--version', '9']);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /No migration file with version 9 exists\./);
  const skip = await runMigrations(['-c', config, 'apply', '--version', '4']);
  t.is(skip.code, 0, skip.stderr);
  const info = await runMigrations(['-c', config, 'info']);
  t.regex(info.stdout, /^Current migration version: 4\n/);
  t.regex(info.stdout, /\n 3 +\| Step 3 +\| PENDING /);
  t.regex(info.stdout, /\n 4 +\| Step 4 +\| MIGRATED \| 2 +\| /);
  t.is((await runMigrations(['-c', config, 'validate'])).code, 0);
});

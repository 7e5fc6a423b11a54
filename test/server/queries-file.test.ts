/**
 * Headless mode's queries file on an engine (queries-file.ts): the statement
 * kinds ksqlDB's StandaloneExecutor runs, its refusals (the whole file
 * before anything in it runs), a file without a persistent query, and a
 * failing statement named in the error.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runQueriesFile } from '../../src/server/queries-file.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine, type EngineNode, type EngineNodeOptions } from '../helpers/temp-engine.js';

const ORDERS = "CREATE STREAM ORDERS (ID INT KEY, AMOUNT INT) WITH (KAFKA_TOPIC='orders', PARTITIONS=2, VALUE_FORMAT='JSON');";

async function withFile(text: string, body: (node: EngineNode, file: string) => Promise<void>, options: EngineNodeOptions = {}): Promise<void> {
  await withTempDir(async (dir) => {
    const file = join(dir, 'queries.sql');
    writeFileSync(file, text);
    const node = openEngine(join(dir, 'data'), options);
    try {
      await body(node, file);
    } finally {
      closeEngine(node);
    }
  });
}

test('the statements a headless ksqlDB runs: SET, CREATE STREAM/TABLE/TYPE, their AS SELECT forms and INSERT INTO, in one session', async (t) => {
  const text = [
    "SET 'auto.offset.reset' = 'earliest';",
    'CREATE TYPE MONEY AS STRUCT<CENTS BIGINT>;',
    ORDERS,
    "CREATE TABLE USERS (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='users', PARTITIONS=2, VALUE_FORMAT='JSON');",
    'CREATE STREAM BIG AS SELECT ID, AMOUNT FROM ORDERS WHERE AMOUNT > 10;',
    'INSERT INTO BIG SELECT ID, AMOUNT FROM ORDERS WHERE AMOUNT < 0;',
    "UNSET 'auto.offset.reset';",
    'CREATE TABLE TOTALS AS SELECT ID, COUNT(*) AS N FROM ORDERS GROUP BY ID;',
  ].join('\n');
  await withFile(text, async ({ engine }, file) => {
    const queries = await runQueriesFile(engine, file);
    t.deepEqual(queries, ['CSAS_BIG_0', 'INSERTQUERY_1', 'CTAS_TOTALS_2']);
    t.is(engine.getQuery('CSAS_BIG_0')!.command.properties['auto.offset.reset'], 'earliest', 'SET applies to the statements after it');
    t.false('auto.offset.reset' in engine.getQuery('CTAS_TOTALS_2')!.command.properties, 'and UNSET takes it back');
    t.truthy(engine.metastore.getSource('USERS'));
  });
});

for (const refused of [
  'SELECT * FROM ORDERS EMIT CHANGES;',
  'SELECT * FROM ORDERS;',
  'SHOW STREAMS;',
  'DESCRIBE ORDERS;',
  'DROP STREAM ORDERS;',
  'TERMINATE ALL;',
  "DEFINE orders_topic = 'orders';",
  'INSERT INTO ORDERS (ID, AMOUNT) VALUES (1, 2);',
]) {
  test(`headless mode refuses the whole file for: ${refused}`, async (t) => {
    await withFile(`${ORDERS}\nCREATE STREAM BIG AS SELECT * FROM ORDERS;\n${refused}\n`, async ({ engine }, file) => {
      const error = await t.throwsAsync(runQueriesFile(engine, file));
      t.true(error!.message.startsWith(`Failed to start with the queries file ${file}: Unsupported statement. Only the following statements are supported in headless mode:\n`
        + 'CREATE STREAM\nCREATE STREAM AS SELECT\nCREATE TABLE\nCREATE TABLE AS SELECT\nINSERT INTO\nREGISTER TYPE\nSET\nUNSET\n'), error!.message);
      t.true(error!.message.endsWith(`Statement: ${refused}`), error!.message);
      t.is(engine.metastore.getSource('ORDERS'), undefined, 'nothing in the file ran');
    });
  });
}

test('a file without a persistent query is refused, as ksqlDB refuses it', async (t) => {
  await withFile(`${ORDERS}\n`, async ({ engine }, file) => {
    await t.throwsAsync(runQueriesFile(engine, file), { message: /The SQL file does not contain any persistent queries\. i\.e\. it contains no 'INSERT INTO', 'CREATE TABLE x AS SELECT' or 'CREATE STREAM x AS SELECT' style statements\./ });
  });
});

test('a statement that fails stops the file with its error and names it; an unreadable file or bad syntax says so', async (t) => {
  await withFile(`${ORDERS}\nCREATE STREAM BIG AS SELECT * FROM NOPE;\n`, async ({ engine }, file) => {
    const error = await t.throwsAsync(runQueriesFile(engine, file));
    t.regex(error!.message, /^Failed to start with the queries file .*queries\.sql: .*NOPE.*\nStatement: CREATE STREAM BIG AS SELECT \* FROM NOPE;$/s);
  });
  await withFile(`${ORDERS}\nCREATE STREAM BIG AS SELEC * FROM ORDERS;`, async ({ engine }, file) => {
    await t.throwsAsync(runQueriesFile(engine, file), { message: /^Failed to start with the queries file .*queries\.sql: line 2:.*Syntax Error.*CREATE STREAM BIG AS SELEC/s });
  });
  await withFile('', async ({ engine }, file) => {
    await t.throwsAsync(runQueriesFile(engine, `${file}.missing`), { message: /Failed to start with the queries file .*queries\.sql\.missing: Could not read the query file: ENOENT/ });
  });
});

test('the whole file is validated in a sandbox first: a failing third statement leaves no topic, schema, source or query of the first two', async (t) => {
  const text = [
    ORDERS,
    "CREATE STREAM BIG WITH (VALUE_FORMAT='AVRO') AS SELECT ID, AMOUNT FROM ORDERS WHERE AMOUNT > 10;",
    'CREATE STREAM LOST AS SELECT * FROM NOWHERE;',
  ].join('\n');
  await withFile(text, async ({ engine, broker }, file) => {
    const error = await t.throwsAsync(runQueriesFile(engine, file));
    t.regex(error!.message, /NOWHERE.*\nStatement: CREATE STREAM LOST AS SELECT \* FROM NOWHERE;$/s);
    t.false(broker.hasTopic('orders'), 'the source topic the first statement would create');
    t.false(broker.hasTopic('BIG'), 'the sink topic of the second');
    t.is(engine.schemaRegistry!.latest('BIG-value'), undefined, 'the sink schema the second would register');
    t.deepEqual(engine.metastore.listSources(), []);
    t.deepEqual(engine.listQueries(), []);
  }, { schemaRegistry: true });
});

test('a file that validates runs once on the engine: the sandbox leaves nothing behind, the query ids start at 0', async (t) => {
  const text = [ORDERS, "CREATE STREAM BIG WITH (VALUE_FORMAT='AVRO') AS SELECT ID, AMOUNT FROM ORDERS;"].join('\n');
  await withFile(text, async ({ engine, broker }, file) => {
    t.deepEqual(await runQueriesFile(engine, file), ['CSAS_BIG_0']);
    t.true(broker.hasTopic('orders') && broker.hasTopic('BIG'));
    t.true(engine.schemaRegistry!.latest('BIG-value')!.id < 2_147_483_647, 'the schema the real run registered');
  }, { schemaRegistry: true });
});

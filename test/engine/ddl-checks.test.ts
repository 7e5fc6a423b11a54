import test from 'ava';
import { formatLogicalSchema } from '../../src/schema/logical-schema.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine, withTempEngine } from '../helpers/temp-engine.js';

const INPUT = "CREATE STREAM S (K STRING KEY, A INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');";

test('ALTER STREAM ADD COLUMN appends value columns to a declared stream', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(INPUT);
    engine.execute('ALTER STREAM S ADD COLUMN B STRING, ADD COLUMN C BIGINT;');
    t.is(formatLogicalSchema(engine.metastore.getSource('S')!.schema), '`K` STRING KEY, `A` INTEGER, `B` STRING, `C` BIGINT');
  });
});

test('ALTER refuses existing columns, CREATE ... AS sinks, source streams, and the wrong source kind', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(INPUT);
    engine.execute('CREATE STREAM D AS SELECT * FROM S;');
    engine.execute("CREATE SOURCE STREAM R (V INT) WITH (KAFKA_TOPIC='r', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute('ALTER STREAM S ADD COLUMN A STRING;'), { message: /Cannot add column `A` to schema\. A column with the same name already exists\./ });
    t.throws(() => engine.execute('ALTER STREAM D ADD COLUMN Z INT;'), { message: /ALTER command is not supported for CREATE \.\.\. AS statements\./ });
    t.throws(() => engine.execute('ALTER STREAM R ADD COLUMN Z INT;'), { message: /Cannot alter stream 'R': ALTER operations are not supported on source streams\./ });
    t.throws(() => engine.execute('ALTER TABLE S ADD COLUMN Z INT;'), { message: /Incompatible data source type is STREAM, but statement was ALTER TABLE/ });
    t.throws(() => engine.execute('ALTER STREAM NOPE ADD COLUMN Z INT;'), { message: /Source NOPE does not exist\./ });
  });
});

test('CREATE OR REPLACE SOURCE STREAM is refused even when nothing exists yet', (t) => {
  withTempEngine(({ engine }) => {
    t.throws(() => engine.execute("CREATE OR REPLACE SOURCE STREAM R (V INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');"),
      { message: /CREATE OR REPLACE is not supported on source streams/ });
    t.is(engine.metastore.getSource('R'), undefined);
  });
});

test('the TIMESTAMP column of a CREATE STREAM AS must be projected and hold a time', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(INPUT);
    // Checked before the missing key column is reported.
    t.throws(() => engine.execute("CREATE STREAM T WITH (TIMESTAMP='nope') AS SELECT A FROM S;"),
      { message: /The TIMESTAMP column set in the WITH clause does not exist in the schema: 'NOPE'/ });
    t.throws(() => engine.execute("CREATE STREAM T WITH (TIMESTAMP='a') AS SELECT K, A FROM S;"),
      { message: /Timestamp column, `A`, should be LONG\(INT64\), TIMESTAMP, or a String with a timestamp_format specified/ });
    engine.execute("CREATE STREAM T WITH (TIMESTAMP='ts') AS SELECT K, CAST(A AS BIGINT) AS TS FROM S;");
    t.is(engine.metastore.getSource('T')!.timestampColumn?.column, 'TS');
  });
});

test('an absurd PARTITIONS count is refused at once, and nothing is created', (t) => {
  withTempEngine(({ engine, broker }) => {
    t.throws(() => engine.execute("CREATE STREAM HUGE (A INT) WITH (KAFKA_TOPIC='huge', PARTITIONS=2147483647, VALUE_FORMAT='JSON');"),
      { message: "Topic 'huge' cannot have 2147483647 partitions: the most a topic can have is 10000." });
    t.false(broker.hasTopic('huge'));
    t.is(engine.metastore.getSource('HUGE'), undefined);
  });
});

test('a source read by a CREATE ... AS SELECT sink cannot be dropped until that sink is, even with its query terminated', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(INPUT);
    engine.execute('CREATE STREAM B AS SELECT * FROM S;');
    engine.execute('CREATE STREAM C2 AS SELECT * FROM B;');
    engine.execute('CREATE STREAM C1 AS SELECT * FROM B;');
    const refused = 'Cannot drop B.\nThe following streams and/or tables read from this source: [C1, C2].\nYou need to drop them before dropping B.';
    t.throws(() => engine.execute('DROP STREAM B;'), { message: refused });
    engine.execute('TERMINATE CSAS_C1_2;');
    engine.execute('TERMINATE CSAS_C2_1;');
    t.throws(() => engine.execute('DROP STREAM B;'), { message: refused });
    engine.execute('DROP STREAM C1;');
    engine.execute('DROP STREAM C2;');
    engine.execute('DROP STREAM B;');
    engine.execute('DROP STREAM S;');
    t.is(engine.metastore.listSources().length, 0);
  });
});

test('INSERT INTO queries that read or write a source block its drop, and name themselves before the sinks that read it', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(INPUT);
    engine.execute('CREATE STREAM B AS SELECT * FROM S;');
    engine.execute('CREATE STREAM C AS SELECT * FROM B;');
    engine.execute('INSERT INTO B SELECT * FROM S;');
    engine.execute('INSERT INTO C SELECT * FROM B;');
    t.throws(() => engine.execute('DROP STREAM B;'), {
      message: 'Cannot drop B.\nThe following queries read from this source: [INSERTQUERY_3].\n'
        + 'The following queries write into this source: [INSERTQUERY_2].\nYou need to terminate them before dropping B.',
    });
  });
});

test('the sources a CREATE ... AS SELECT sink reads stay guarded after a restart', (t) => {
  withTempDir((dir) => {
    const first = openEngine(dir);
    first.engine.execute(INPUT);
    first.engine.execute('CREATE STREAM B AS SELECT * FROM S;');
    closeEngine(first);
    const second = openEngine(dir);
    try {
      t.throws(() => second.engine.execute('DROP STREAM S;'), { message: /The following streams and\/or tables read from this source: \[B\]/ });
    } finally {
      closeEngine(second);
    }
  });
});

test('DROP of the wrong kind names both kinds in lower case, and a missing name hints at its other case among sources of the kind dropped', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(INPUT);
    engine.execute("CREATE STREAM \"lower\" (V INT) WITH (KAFKA_TOPIC='l', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute('DROP TABLE S;'), { message: 'Incompatible data source type is stream, but statement was DROP table' });
    t.throws(() => engine.execute('DROP STREAM lower;'), {
      message: 'Stream LOWER does not exist.\nDid you mean "lower"? Hint: wrap the source name in double quotes to make it case-sensitive.',
    });
    t.throws(() => engine.execute('DROP STREAM "s";'), { message: 'Stream s does not exist.\nDid you mean S? Hint: try removing double quotes from the source name.' });
    t.throws(() => engine.execute('DROP TABLE "s";'), { message: 'Table s does not exist.' });
  });
});

test('a CREATE ... AS SELECT of the wrong kind reports what planning the query and its sink refuses first, then the kind', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(INPUT);
    t.throws(() => engine.execute("CREATE TABLE T WITH (VALUE_FORMAT='FOO') AS SELECT * FROM S;"), { message: /Unknown format: FOO/ });
    t.throws(() => engine.execute("CREATE TABLE T WITH (KEY_FORMAT='NONE') AS SELECT * FROM S;"), { message: /The 'NONE' format can only be used when no columns are defined/ });
    t.throws(() => engine.execute('CREATE TABLE T AS SELECT * FROM S;'), {
      message: 'Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT statement instead.',
    });
    t.is(engine.metastore.getSource('T'), undefined);
  });
});

test('DROP ... IF EXISTS of a missing source succeeds with the message ksqlDB\'s DDL gives it', (t) => {
  withTempEngine(({ engine }) => {
    const [entity] = engine.execute('DROP TABLE IF EXISTS NOPE;') as { commandStatus: { status: string; message: string } }[];
    t.deepEqual(entity!.commandStatus, { status: 'SUCCESS', message: 'Source `NOPE` does not exist.', queryId: null });
  });
});

test('CREATE ... IF NOT EXISTS of an existing name succeeds with the message ksqlDB\'s DDL gives it, and changes nothing', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(INPUT);
    const message = (sql: string): string => (engine.execute(sql) as { commandStatus: { message: string } }[])[0]!.commandStatus.message;
    t.is(message("CREATE TABLE IF NOT EXISTS S (K STRING PRIMARY KEY, A INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"),
      'Cannot add table `S`: A stream with the same name already exists.');
    t.is(message('CREATE STREAM IF NOT EXISTS S AS SELECT * FROM S;'), 'Cannot add stream `S`: A stream with the same name already exists.');
    t.is(engine.metastore.getSource('S')!.kind, 'STREAM');
    t.is(engine.listQueries().length, 0);
  });
});

test('DROP ... DELETE TOPIC refuses a topic other sources use, naming them, and leaves everything in place', (t) => {
  withTempEngine(({ engine, broker }) => {
    engine.execute(INPUT);
    engine.execute("CREATE STREAM S2 (K STRING KEY, A INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');");
    engine.execute("CREATE TABLE S1 (K STRING PRIMARY KEY, A INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute('DROP STREAM S DELETE TOPIC;'), { message: 'Refusing to delete topic. Found other data sources (S1, S2) using topic s' });
    t.throws(() => engine.execute('DROP TABLE S DELETE TOPIC;'), { message: 'Refusing to delete topic. Found other data sources (S1, S2) using topic s' });
    t.true(broker.hasTopic('s'));
    engine.execute('DROP STREAM S2;');
    engine.execute('DROP TABLE S1;');
    engine.execute('DROP STREAM S DELETE TOPIC;');
    t.false(broker.hasTopic('s'));
  });
});

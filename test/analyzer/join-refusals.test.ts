import test from 'ava';
import { withEngine } from '../runtime/engine-helper.js';

const SOURCES = `CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');
  CREATE TABLE T (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');
  CREATE TABLE U (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='u', PARTITIONS=1, VALUE_FORMAT='JSON');`;

test('refusals of a join order or type name the sources, not their aliases, as ksqlDB does', (t) => {
  withEngine((run) => {
    run.execute(SOURCES);
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT A.ID, B.V FROM T A JOIN S B ON A.ID = B.ID;'), {
      message: /Got T \[INNER\] JOIN S\.$/,
    });
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT A.ID, B.V FROM S A FULL OUTER JOIN T B ON A.ID = B.ID;'), {
      message: 'Invalid join type: full-outer join not supported for stream-table join. Got S [FULL] OUTER JOIN T.',
    });
  });
});

test('a table-table join with WITHIN is refused with the table-table message', (t) => {
  withEngine((run) => {
    run.execute(SOURCES);
    t.throws(() => run.execute('CREATE TABLE OUT AS SELECT T.ID, U.V FROM T JOIN U WITHIN 10 SECONDS ON T.ID = U.ID;'), {
      message: 'A window definition was provided for a Table-Table join. These joins are not windowed. Please drop the window definition (i.e. the WITHIN clause) and try to execute your Table-Table join again.',
    });
  });
});

test('a full outer foreign-key join is refused as a join type foreign-key joins do not support', (t) => {
  withEngine((run) => {
    run.execute(SOURCES);
    t.throws(() => run.execute('CREATE TABLE OUT AS SELECT A.ID, B.V FROM T A FULL OUTER JOIN U B ON A.V = B.ID;'), {
      message: 'Invalid join type: full-outer join not supported for foreign-key table-table join. Got T [FULL] OUTER JOIN U.',
    });
  });
});

test('a stream-table RIGHT join is refused once the join is otherwise valid, as ksqlDB\'s stream-table joiner refuses it', (t) => {
  withEngine((run) => {
    run.execute(SOURCES);
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT S.ID, T.V FROM S RIGHT JOIN T ON S.ID = T.ID;'), {
      message: 'Invalid join type encountered: RIGHT [OUTER] JOIN',
    });
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT S.ID, T.V FROM S RIGHT JOIN T WITHIN 1 SECOND ON S.ID = T.ID;'), {
      message: /^A window definition was provided for a Stream-Table join\./,
    });
  });
});

test('an ON clause that is not an equality is refused with ksqlDB\'s words for its shape', (t) => {
  withEngine((run) => {
    run.execute(SOURCES);
    t.throws(() => run.execute('CREATE TABLE OUT AS SELECT T.ID, U.V FROM T JOIN U ON T.ID > U.ID;'), { message: 'Only equality join criteria is supported.' });
    t.throws(() => run.execute('CREATE TABLE OUT AS SELECT T.ID, U.V FROM T JOIN U ON T.ID = U.ID AND T.V > 0;'), {
      message: 'Unsupported join expression: ((T.ID = U.ID) AND (T.V > 0))',
    });
  });
});

test('windowing refusals name the sources in the order the criteria compare them, before the join order is checked', (t) => {
  withEngine((run) => {
    run.execute(`${SOURCES} CREATE STREAM W (ID INT KEY, V INT) WITH (KAFKA_TOPIC='w', PARTITIONS=1, VALUE_FORMAT='JSON', WINDOW_TYPE='SESSION');`);
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT S.ID, W.V FROM S JOIN W WITHIN 1 SECOND ON W.ID = S.ID;'), {
      message: 'Can not join windowed source to non-windowed source.\n`W` is SESSION windowed\n`S` is not windowed',
    });
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT T.ID, W.V FROM T JOIN W WITHIN 1 SECOND ON T.ID = W.ID;'), {
      message: /^Can not join windowed source to non-windowed source\./,
    });
  });
});

test('join expressions of other types: a stream join\'s keys differ, a table-table join\'s condition is quoted as written', (t) => {
  withEngine((run) => {
    run.execute(`${SOURCES} CREATE STREAM B (ID BIGINT KEY, V BIGINT) WITH (KAFKA_TOPIC='b', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE TABLE BT (ID BIGINT PRIMARY KEY, V BIGINT) WITH (KAFKA_TOPIC='bt', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT S.ID, B.V FROM S JOIN B WITHIN 1 SECOND ON S.ID = B.ID;'), {
      message: 'Invalid join. Key types differ: INTEGER vs BIGINT',
    });
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT B.ID, T.V FROM B JOIN T ON T.ID = B.V;'), {
      message: 'Invalid join. Key types differ: BIGINT vs INTEGER',
    });
    t.throws(() => run.execute('CREATE TABLE OUT AS SELECT T.ID, BT.V FROM T JOIN BT ON BT.ID = T.ID;'), {
      message: 'Invalid join condition: types don\'t match. Got BT.ID{BIGINT} = T.ID{INTEGER}.',
    });
  });
});

test('an unqualified ON column that no source has cannot be resolved, as a qualified one', (t) => {
  withEngine((run) => {
    run.execute(SOURCES);
    t.throws(() => run.execute('CREATE STREAM OUT AS SELECT S.ID, T.V FROM S JOIN T ON S.ID = NOPE;'), {
      message: /JOIN ON column 'NOPE' cannot be resolved\.$/,
    });
  });
});

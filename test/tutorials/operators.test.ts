/**
 * developer-guide/ksqldb-reference/operators.md: arithmetic, concatenation
 * with +, source-qualified columns, subscripts, struct dereference and
 * ->*, over a USERS stream of our own. One example differs as ksqlDB's does:
 * once USERS is aliased U, only U qualifies its columns, so the last query
 * (USERS.ADDRESS->STREET beside U.ADDRESS->STREET) is refused.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('the page\'s expressions', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset'='earliest';
CREATE STREAM USERS (USERID VARCHAR KEY, FIRST_NAME VARCHAR, LAST_NAME VARCHAR, NICKNAMES ARRAY<VARCHAR>, ADDRESS STRUCT<STREET VARCHAR, HOUSE_NUM INT>)
  WITH (kafka_topic='users', partitions=1, value_format='json');
INSERT INTO USERS (USERID, FIRST_NAME, LAST_NAME, NICKNAMES, ADDRESS) VALUES ('u1', 'Ada', 'Lovelace', ARRAY['ad', 'al'], STRUCT(STREET := 'Main', HOUSE_NUM := 12));
CREATE STREAM INVALID_USERS_LOGINS_PER_HOST (USERID VARCHAR, HOST VARCHAR, INVALID_LOGIN_COUNT BIGINT) WITH (kafka_topic='logins', partitions=1, value_format='json');
INSERT INTO INVALID_USERS_LOGINS_PER_HOST (ROWTIME, USERID, HOST, INVALID_LOGIN_COUNT) VALUES (0, 'u1', 'h1', 5);
INSERT INTO INVALID_USERS_LOGINS_PER_HOST (ROWTIME, USERID, HOST, INVALID_LOGIN_COUNT) VALUES (0, 'u2', 'h2', 1);`);
  t.deepEqual(await tut.push('SELECT USERID, LEN(FIRST_NAME) + LEN(LAST_NAME) AS NAME_LENGTH FROM USERS EMIT CHANGES;', 1), { columnNames: ['USERID', 'NAME_LENGTH'], rows: [['u1', 11]] });
  t.deepEqual(await tut.push('SELECT USERID, FIRST_NAME + LAST_NAME AS FULL_NAME FROM USERS EMIT CHANGES;', 1), { columnNames: ['USERID', 'FULL_NAME'], rows: [['u1', 'AdaLovelace']] });
  const alert = await tut.push(`SELECT USERID,
    TIMESTAMPTOSTRING(ROWTIME, 'yyyy-MM-dd HH:mm:ss') +
        ': :heavy_exclamation_mark: On ' +
        HOST +
        ' there were ' +
        CAST(INVALID_LOGIN_COUNT AS VARCHAR) +
        ' attempts in the last minute (threshold is >=4)'
  FROM INVALID_USERS_LOGINS_PER_HOST
  WHERE INVALID_LOGIN_COUNT>=4
  EMIT CHANGES;`, 1);
  t.deepEqual(alert.rows, [['u1', '1970-01-01 00:00:00: :heavy_exclamation_mark: On h1 there were 5 attempts in the last minute (threshold is >=4)']]);
  t.deepEqual(await tut.push('SELECT USERID, USERS.FIRST_NAME FROM USERS EMIT CHANGES;', 1), { columnNames: ['USERID', 'FIRST_NAME'], rows: [['u1', 'Ada']] });
  t.deepEqual(await tut.push('SELECT USERID, NICKNAMES[1] FROM USERS EMIT CHANGES;', 1), { columnNames: ['USERID', 'KSQL_COL_0'], rows: [['u1', 'ad']] });
  t.deepEqual(await tut.push('SELECT USERID, ADDRESS->STREET, ADDRESS->HOUSE_NUM FROM USERS EMIT CHANGES;', 1), { columnNames: ['USERID', 'STREET', 'HOUSE_NUM'], rows: [['u1', 'Main', 12]] });
  t.deepEqual(await tut.push('SELECT USERID, ADDRESS->* FROM USERS EMIT CHANGES;', 1), { columnNames: ['USERID', 'STREET', 'HOUSE_NUM'], rows: [['u1', 'Main', 12]] });
  await t.throwsAsync(tut.pull('SELECT USERID, USERS.ADDRESS->STREET, U.ADDRESS->STREET FROM USERS U EMIT CHANGES;'), { message: /'USERS' is not a valid stream\/table name or alias/ });
  t.deepEqual(await tut.push('SELECT USERID, U.ADDRESS->STREET FROM USERS U EMIT CHANGES;', 1), { columnNames: ['USERID', 'STREET'], rows: [['u1', 'Main']] });
});

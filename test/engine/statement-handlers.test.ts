import test from 'ava';
import { KsqlError } from '../../src/common/errors.js';
import { TestDriver } from '../../src/testing/test-driver.js';

function errorOf(statement: string): KsqlError {
  const driver = new TestDriver({});
  try {
    driver.execute(statement);
  } catch (error) {
    if (error instanceof KsqlError) return error;
    throw error;
  } finally {
    driver.close();
  }
  throw new Error(`${statement} ran`);
}

test('connector statements answer as ksqlDB does without a reachable Connect cluster: a server error', (t) => {
  for (const statement of [
    "CREATE SOURCE CONNECTOR c WITH ('connector.class'='x');",
    'DROP CONNECTOR c;',
    'DESCRIBE CONNECTOR c;',
    'SHOW CONNECTORS;',
    'SHOW CONNECTOR PLUGINS;',
  ]) {
    const error = errorOf(statement);
    t.is(error.code, 'CONNECT_UNREACHABLE', statement);
    t.is(error.errorCode, 50000, statement);
    t.regex(error.message, /Connect to http:\/\/localhost:8083 failed: Connection refused/, statement);
    t.is(error.statementText, statement);
  }
});

test('statements this server does not run get their own error, naming the statement', (t) => {
  t.regex(errorOf("ALTER SYSTEM 'ksql.x'='y';").message, /^ALTER SYSTEM is only available/);
  t.is(errorOf("ALTER SYSTEM 'ksql.x'='y';").code, 'BAD_STATEMENT');
});

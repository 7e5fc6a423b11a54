import test from 'ava';
import { KsqlError } from '../../src/common/errors.js';
import { parseStatements } from '../../src/parser/index.js';
import { ParsePool } from '../../src/parser/parse-pool.js';
import { loadQttCases } from './helpers.js';

const cases = loadQttCases();

function outcome(run: () => unknown): unknown {
  try {
    return { statements: run() };
  } catch (e) {
    const error = e as KsqlError;
    return { error: { name: error.name, code: error.code, message: error.message, position: error.position, statementText: error.statementText } };
  }
}

async function pooledOutcome(pool: ParsePool, text: string): Promise<unknown> {
  try {
    return { statements: await pool.parse(text) };
  } catch (e) {
    const error = e as KsqlError;
    return { error: { name: error.name, code: error.code, message: error.message, position: error.position, statementText: error.statementText } };
  }
}

const sum = (n: number): string => Array.from({ length: n }, () => '1').join('+');

test('a thread of the pool parses every QTT script as parseStatements does in process, errors included', async (t) => {
  t.timeout(120_000);
  const pool = new ParsePool({ threads: 1, queueSize: 10_000, timeoutMs: 60_000, minLength: 0 }).start();
  try {
    const texts = [
      ...cases.map((c) => c.statements.join('\n')),
      // BIGINT and DECIMAL literals, and nesting near and past what the parser's stack takes.
      'SELECT 9223372036854775807, -9223372036854775808, 1.50, 1e3 FROM S EMIT CHANGES;',
      `SELECT ${'('.repeat(100)}1${')'.repeat(100)} FROM S;`,
      `SELECT ${'('.repeat(990)}1${')'.repeat(990)} FROM S;`,
      `SELECT ${sum(1001)} FROM S;`,
    ];
    const mismatches: string[] = [];
    const results = await Promise.all(texts.map((text) => pooledOutcome(pool, text)));
    texts.forEach((text, i) => {
      try {
        t.deepEqual(results[i], outcome(() => parseStatements(text)));
      } catch {
        mismatches.push(text.slice(0, 200));
      }
    });
    t.true(texts.length > 1000);
    t.deepEqual(mismatches, []);
  } finally {
    await pool.close();
  }
});

test('a parse past the timeout is abandoned with a 400 naming the setting, and a new thread parses the next text', async (t) => {
  const pool = new ParsePool({ threads: 1, queueSize: 4, timeoutMs: 1000, minLength: 0 }).start();
  try {
    // Some 200,000 tokens (with the bounds raised): seconds of parsing.
    const huge = `SELECT ${Array.from({ length: 40_000 }, () => 'ABS(1)').join(', ')} FROM S;`;
    const unbounded = { maxLength: 10_000_000, maxTokens: 10_000_000, maxDepth: 1000, maxInList: 1000 };
    const error = await t.throwsAsync(pool.parse(huge, { limits: unbounded }), { instanceOf: KsqlError });
    t.is(error?.errorCode, 40000);
    t.regex(error?.message ?? '', /took longer than 1000 ms to parse \(ksqlite\.statement\.parse\.timeout\.ms\)/);
    t.like((await pool.parse('SHOW STREAMS;'))[0], { kind: 'ListStreams' });
  } finally {
    await pool.close();
  }
});

test('texts beyond the queue are refused with 429; the others are parsed', async (t) => {
  const pool = new ParsePool({ threads: 1, queueSize: 1, timeoutMs: 60_000, minLength: 0 }).start();
  try {
    await pool.parse('SHOW STREAMS;');
    const long = `SELECT ${sum(900)} FROM S;`;
    const [first, second, third] = await Promise.allSettled([pool.parse(long), pool.parse(long), pool.parse(long)]);
    t.is(first.status, 'fulfilled');
    t.is(second.status, 'fulfilled');
    t.is(third.status, 'rejected');
    const error = (third as PromiseRejectedResult).reason as KsqlError;
    t.is(error.errorCode, 42900);
    t.regex(error.message, /as many long statements as it queues \(1, ksqlite\.statement\.parse\.queue\.size\)/);
  } finally {
    await pool.close();
  }
});

test('short texts, and texts over the length bound, are parsed in process', async (t) => {
  const pool = new ParsePool({ threads: 1, queueSize: 0, timeoutMs: 60_000, minLength: 100 }).start();
  try {
    // With no room in the queue, only what stays in process can be answered.
    t.like((await pool.parse('SHOW STREAMS;'))[0], { kind: 'ListStreams' });
    await t.throwsAsync(pool.parse(`SELECT ${sum(200)} FROM S;`), { message: /queues \(0/ });
    await t.throwsAsync(pool.parse(`SELECT ${sum(200)} FROM S;`, { limits: { maxLength: 150, maxTokens: 1000, maxDepth: 1000, maxInList: 10 } }),
      { message: /at most 150 \(ksqlite\.statement\.max\.length\)/ });
  } finally {
    await pool.close();
  }
});

/**
 * The shapes of Confluent's ksqlDB tutorials (developer.confluent.io: filter,
 * split, transform, flatten, concatenate, mask, rekey, deduplicate, count/
 * sum/min/max, tumbling, hopping and session windows, joins) as each ships
 * its test: a folder of statements.sql, input.json and output.json in the
 * layout of ksqlDB's ksql-test-runner, run through ksqlite-test as a user
 * runs them. The SQL and data are ours; the statements keep the tutorials'
 * shapes (Avro and JSON, event time from a formatted column, a stream over
 * a table's topic, multi-partition topics).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/testing/ksqlite-test.js');
const FOLDER = 'test/tutorials/developer-tutorials';

test('every tutorial\'s test folder passes in ksqlite-test, with exit code 0', async (t) => {
  const tempFolder = makeTempDir('ksqlite-tutorials-');
  try {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, [BIN, '--test-directory', FOLDER, '--temp-folder', tempFolder], { cwd: ROOT, env: { ...process.env, KSQLITE_LOG_LEVEL: 'silent' } },
        (error, out) => resolve({ code: error === null ? 0 : Number(error.code), stdout: out }));
    });
    const names = readdirSync(join(ROOT, FOLDER)).sort();
    t.is(code, 0, stdout);
    for (const name of names) t.true(stdout.includes(`--@test: ${name}\n>>> Test passed!\n`), `${name}:\n${stdout}`);
    t.true(stdout.includes(`${names.length} of ${names.length} tests passed`), stdout);
  } finally {
    removeDir(tempFolder);
  }
});

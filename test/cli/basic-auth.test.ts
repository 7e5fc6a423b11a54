import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { removeDir } from '../helpers/temp-dir.js';
import { useServer } from '../server/helpers.js';
import { PtyShell, runShell, tempDir } from './helpers.js';

const dir = tempDir();
const usersFile = join(dir, 'password-file');
writeFileSync(usersFile, 'fred: letmein,admin\n');

const h = useServer({
  start: {
    properties: {
      'authentication.method': 'BASIC',
      'authentication.roles': 'admin',
      'authentication.basic.users.file': usersFile,
    },
  },
});
test.after.always(() => removeDir(dir));

test('-u and -p send the credentials with every request', async (t) => {
  const res = await runShell(['--user', 'fred', '--password', 'letmein', '-e', 'SHOW STREAMS;', h.url]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /Stream Name/);
  const short = await runShell(['-u', 'fred', '-p', 'letmein', '-e', 'SHOW TOPICS;', h.url]);
  t.is(short.code, 0, short.stderr);
});

test('without credentials, or with wrong ones, a run stops at once with exit code 3 and says why', async (t) => {
  for (const args of [[], ['-u', 'fred', '-p', 'nope']]) {
    const res = await runShell([...args, '-e', 'SHOW STREAMS;', h.url]);
    t.is(res.code, 3);
    t.is(res.stderr.trim(), `The server at ${h.url} refused the request: Unauthorized`);
  }
});

test('--user without --password is a usage error when the shell cannot prompt, and --password needs --user', async (t) => {
  const res = await runShell(['-u', 'fred', '-e', 'SHOW STREAMS;', h.url]);
  t.is(res.code, 2);
  t.regex(res.stderr, /--user needs --password/);
  const alone = await runShell(['-p', 'x', '-e', 'SHOW STREAMS;', h.url]);
  t.is(alone.code, 2);
  t.regex(alone.stderr, /--password needs --user/);
});

test('an interactive shell with only --user prompts for the password without echoing it', async (t) => {
  const shell = new PtyShell(['-u', 'fred', h.url], { KSQLITE_HISTORY_FILE: join(dir, 'history') });
  try {
    await shell.waitFor('Enter password: ');
    shell.write('letmein\r');
    await shell.waitFor(/Server Status: RUNNING/);
    t.false(shell.text.includes('letmein'));
    const mark = shell.text.length;
    shell.write('SHOW STREAMS;\r');
    await shell.waitFor(/Stream Name/, mark);
    t.is(await shell.exit(), 0);
  } finally {
    shell.kill();
  }
});

/**
 * developer-guide/ksqldb-reference/show-functions.md, describe-function.md
 * and show-properties.md through the shell (the pages show no output; they
 * pass): the functions with their categories, one function's variations,
 * and the properties in effect with a session's SET among them.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { runShell } from '../cli/helpers.js';

const h = useServer();

test('SHOW FUNCTIONS, DESCRIBE FUNCTION and SHOW PROPERTIES', async (t) => {
  const res = await runShell(['--server', h.url, '-e', "LIST FUNCTIONS; DESCRIBE FUNCTION SUBSTRING; SET 'auto.offset.reset'='earliest'; SHOW PROPERTIES;"]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /^ Function Name +\| Category +\n-+\n/);
  t.regex(res.stdout, /\n ABS +\| MATHEMATICAL +\n/);
  t.regex(res.stdout, /\n COUNT +\| AGGREGATE +\n/);
  t.regex(res.stdout, /\n EXPLODE +\| TABLE +\n/);
  t.regex(res.stdout, /\nFor detailed information about a function, run: DESCRIBE FUNCTION <Function Name>;\n/);
  t.regex(res.stdout, /\nName {17}: SUBSTRING\n[^]*\nType {17}: SCALAR\n[^]*\n\tVariation   : SUBSTRING\(str STRING, pos INTEGER, length INTEGER\)\n\tReturns     : STRING\n/);
  t.regex(res.stdout, /\n Property +\| Scope +\| Effective Value +\n-+\n/);
  t.regex(res.stdout, /\n auto\.offset\.reset +\| KSQL +\| earliest +\n/);
});

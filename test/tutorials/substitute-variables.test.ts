/**
 * how-to-guides/substitute-variables.md, through the shell as the page does.
 * The page's first CREATE leaves out PARTITIONS for a topic that does not
 * exist, which ksqlDB refuses: the run declares the topic first.
 */
import test from 'ava';
import { runShell } from '../cli/helpers.js';
import { useServer } from '../server/helpers.js';

const h = useServer({ statements: ["CREATE STREAM seed (id INT) WITH (kafka_topic='stream1', partitions=1, value_format='AVRO');", 'DROP STREAM seed;'] });

test.serial('DEFINE, ${} in literals and identifiers, SHOW VARIABLES, UNDEFINE and $$ escapes', async (t) => {
  const res = await runShell(['--server', h.url, '-e', `DEFINE format = 'AVRO';
DEFINE replicas = '1';
CREATE STREAM stream1 (
  id INT
) WITH (
  kafka_topic = 'stream1',
  value_format = '\${format}',
  replicas = \${REPLICAS}
);
SHOW VARIABLES;
UNDEFINE replicas;
UNDEFINE replicas;
SHOW VARIABLES;
SHOW STREAMS;`]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /Stream created/);
  // Listed by name ignoring case, as ksqlDB's shell keeps its variables.
  t.regex(res.stdout, / Variable Name \| Value *\n-+\n format +\| AVRO *\n replicas +\| 1 *\n-+\n/);
  t.regex(res.stdout, /Cannot undefine variable 'replicas' which was never defined\.\n Variable Name \| Value *\n-+\n format +\| AVRO *\n-+\n/);
  t.regex(res.stdout, / STREAM1 +\| stream1 +\| KAFKA +\| AVRO /);
});

test.serial('a name defined again keeps its first spelling, and the list is ordered ignoring case', async (t) => {
  const res = await runShell(['--server', h.url, '-e', "DEFINE zeta = '1'; DEFINE Alpha = '2'; DEFINE ZETA = '3'; SHOW VARIABLES;"]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, / Variable Name \| Value *\n-+\n Alpha +\| 2 *\n zeta +\| 3 *\n-+\n/);
});

test.serial('$${name} is not substituted', async (t) => {
  const res = await runShell(['--server', h.url, '-e', `DEFINE format = 'AVRO';
SET 'auto.offset.reset' = 'earliest';
INSERT INTO stream1 (id) VALUES (7);
SELECT '$\${format}' AS escaped, '\${format}' AS substituted FROM stream1 EMIT CHANGES LIMIT 1;`]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /\|ESCAPED +\|SUBSTITUTED +\|\n[+-]+\n\|\$\{format\} +\|AVRO +\|/);
});

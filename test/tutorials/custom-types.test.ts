/**
 * developer-guide/ksqldb-reference/create-type.md, show-types.md and
 * drop-type.md through the shell: ADDRESS, then PERSON using it, SHOW
 * TYPES, and DROP TYPE [IF EXISTS] (passes as written). A type registered
 * twice fails, as create-type.md says; DROP TYPE IF EXISTS of a missing type
 * answers as ksqlDB's drop command does ("Type 'X' does not exist").
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { runShell } from '../cli/helpers.js';

const h = useServer();

test('CREATE TYPE, SHOW TYPES and DROP TYPE', async (t) => {
  const res = await runShell(['--server', h.url, '-e', `CREATE TYPE ADDRESS AS STRUCT<number INTEGER, street VARCHAR, city VARCHAR>;
CREATE TYPE PERSON AS STRUCT<name VARCHAR, address ADDRESS>;
CREATE STREAM people (id INT KEY, p PERSON) WITH (kafka_topic='people', partitions=1, value_format='json');
SHOW TYPES;
DROP TYPE ADDRESS;
LIST TYPES;
DROP TYPE IF EXISTS ADDRESS;
DESCRIBE people;
CREATE TYPE PERSON AS STRUCT<name VARCHAR>;`]);
  t.regex(res.stdout, /^ Message +\n-+\n Registered custom type with name 'ADDRESS' and SQL type STRUCT<`NUMBER` INTEGER, `STREET` STRING, `CITY` STRING> \n-+\n/);
  t.regex(res.stdout, / Type Name \| Schema +\n-+\n ADDRESS {3}\| STRUCT<`NUMBER` INTEGER, `STREET` STRING, `CITY` STRING> +\n PERSON {4}\| STRUCT<`NAME` STRING, `ADDRESS` STRUCT<`NUMBER` INTEGER, `STREET` STRING, `CITY` STRING>> \n-+\n/);
  t.regex(res.stdout, / Dropped type 'ADDRESS' \n-+\n Type Name \| Schema +\n-+\n PERSON {4}\| STRUCT<`NAME` STRING, `ADDRESS` STRUCT<`NUMBER` INTEGER, `STREET` STRING, `CITY` STRING>> \n-+\n/);
  t.regex(res.stdout, / Type 'ADDRESS' does not exist \n/);
  // A stream declared with the type keeps it after the drop.
  t.regex(res.stdout, / P +\| STRUCT<NAME VARCHAR\(STRING\), ADDRESS STRUCT<NUMBER INTEGER, STREET VARCHAR\(STRING\), CITY VARCHAR\(STRING\)>> \n/);
  t.regex(res.stderr, /Cannot register custom type 'PERSON' since it is already registered with type: STRUCT<`NAME` STRING, /);
});

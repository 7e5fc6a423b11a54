/** how-to-guides/control-the-case-of-identifiers.md: backticked names keep their case, bare ones are upper-cased. */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('quoted columns, struct fields and sources keep their case in the result', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`CREATE STREAM \`s1\` (
    \`foo\` VARCHAR KEY,
    \`BAR\` INT,
    \`Baz\` VARCHAR
) WITH (
    kafka_topic = 's1',
    partitions = 1,
    value_format = 'avro'
);
SET 'auto.offset.reset' = 'earliest';
CREATE STREAM \`s2\` (
    \`foo\` VARCHAR KEY,
    \`BAR\` INT,
    \`Baz\` VARCHAR,
    \`grault\` STRUCT<
        \`Corge\` VARCHAR,
        \`garply\` INT
    >,
    qux INT
) WITH (
    kafka_topic = 's2',
    partitions = 1,
    value_format = 'avro'
);
INSERT INTO \`s2\` (\`foo\`, \`BAR\`, \`Baz\`, \`grault\`, qux) VALUES ('k1', 1, 'x', STRUCT(\`Corge\` := 'v1', \`garply\` := 5), 2);
INSERT INTO \`s2\` (\`foo\`, \`BAR\`, \`Baz\`, \`grault\`, qux) VALUES ('k2', 3, 'y', STRUCT(\`Corge\` := 'v2', \`garply\` := 6), 4);
INSERT INTO \`s2\` (\`foo\`, \`BAR\`, \`Baz\`, \`grault\`, qux) VALUES ('k3', 5, 'z', STRUCT(\`Corge\` := 'v3', \`garply\` := 8), 6);`);
  const result = await tut.push(`SELECT \`foo\`,
       \`BAR\`,
       \`Baz\`,
       \`grault\`->\`Corge\`,
       \`grault\`->\`garply\`,
       qux,
       QUX AS qux2
FROM \`s2\`
EMIT CHANGES;`, 3);
  t.deepEqual(result.columnNames, ['foo', 'BAR', 'Baz', 'Corge', 'garply', 'QUX', 'QUX2']);
  t.deepEqual(result.rows, [['k1', 1, 'x', 'v1', 5, 2, 2], ['k2', 3, 'y', 'v2', 6, 4, 4], ['k3', 5, 'z', 'v3', 8, 6, 6]]);
});

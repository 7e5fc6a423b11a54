import test from 'ava';
import { parseStatements, substituteVariables } from '../../src/parser/index.js';

test('references are replaced anywhere, inside strings too, matching names ignoring case', (t) => {
  const vars = new Map([['topicName', 'orders'], ['FORMAT', 'JSON'], ['replicas', '3']]);
  t.is(
    substituteVariables("CREATE STREAM ${TOPICNAME} WITH (kafka_topic='${topicname}', format='${format}', replicas=${Replicas});", vars),
    "CREATE STREAM orders WITH (kafka_topic='orders', format='JSON', replicas=3);",
  );
});

test('a plain record of variables works as well as a Map', (t) => {
  t.is(substituteVariables('SELECT ${col} FROM s;', { COL: 'x' }), 'SELECT x FROM s;');
});

test('$${name} escapes to a literal ${name}', (t) => {
  t.is(substituteVariables("SELECT '$${format}' FROM s;", { format: 'AVRO' }), "SELECT '${format}' FROM s;");
});

test('undefined variables are left as written', (t) => {
  t.is(substituteVariables('SELECT ${nope} FROM s;', {}), 'SELECT ${nope} FROM s;');
});

test('substituted text parses as the values it stands for', (t) => {
  const [s] = parseStatements(substituteVariables('INSERT INTO ${s} (${c}) VALUES (${v});', { s: 'out', c: 'id', v: '42' }));
  t.like(s, { kind: 'InsertValues', target: 'OUT', columns: ['ID'], values: [{ kind: 'IntegerLiteral', value: 42 }] });
});

test('with limits, a text that grows past the length bound is refused while it is substituted', (t) => {
  const limits = { maxLength: 1000, maxTokens: 1000, maxDepth: 100, maxInList: 10 };
  const sql = `SELECT '${'${V}'.repeat(100)}' FROM S;`;
  t.is(substituteVariables(sql, { v: 'x'.repeat(5) }, limits).length, 517);
  t.throws(() => substituteVariables(sql, { v: 'x'.repeat(1_000_000) }, limits), {
    message: /The statement text is 1000\d{3} characters long; the server accepts at most 1000 \(ksqlite\.statement\.max\.length\)/,
  });
});

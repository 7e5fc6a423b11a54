import test from 'ava';
import { stringifyWithBigInt } from '../../src/common/json-bigint.js';
import type { Command } from '../../src/engine/commands.js';
import type { EmbeddedBroker } from '../../src/broker/index.js';
import type { QueryDescriptionEntity } from '../../src/engine/explain-query.js';
import type { QueryListEntity } from '../../src/engine/entities.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine, type EngineNode } from '../helpers/temp-engine.js';
import { readValues } from '../helpers/read-topic.js';

const CLICKS = "CREATE STREAM CLICKS (ID INT KEY, URL STRING) WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON');";

function commandTopic(broker: EmbeddedBroker): string {
  return broker.listTopics().find((t) => t.endsWith('_command_topic'))!;
}

function loggedCommands(broker: EmbeddedBroker): string[] {
  return broker.read(commandTopic(broker), 0, 0, { maxRecords: 1000 }).map((r) => r.value!.toString());
}

/** Writes raw command text to the command log, as a damaged or future server might have. */
function appendCommand(broker: EmbeddedBroker, text: string): void {
  broker.append(commandTopic(broker), [{ key: null, value: Buffer.from(text), partition: 0 }]);
}

function showQueries(node: EngineNode): QueryListEntity['queries'] {
  return (node.engine.execute('SHOW QUERIES;')[0] as QueryListEntity).queries;
}

function explain(node: EngineNode, id: string): QueryDescriptionEntity['queryDescription'] {
  return (node.engine.execute(`EXPLAIN ${id};`)[0] as QueryDescriptionEntity).queryDescription;
}

/**
 * Logs CLICKS, a working CSAS SLOW and a copy of SLOW's command, turned by
 * `damage` into one for a query BROKEN (id CSAS_BROKEN_9) that cannot start.
 */
function logBrokenQuery(dir: string, damage: (commandText: string) => string): void {
  const node = openEngine(dir);
  node.engine.execute(`${CLICKS} CREATE STREAM SLOW AS SELECT ID, UCASE(URL) AS URL FROM CLICKS;`);
  const slow = loggedCommands(node.broker).at(-1)!;
  const broken = slow.replaceAll('"SLOW"', '"BROKEN"').replaceAll('CSAS_SLOW_0', 'CSAS_BROKEN_9').replaceAll('STREAM SLOW', 'STREAM BROKEN');
  appendCommand(node.broker, damage(broken));
  closeEngine(node);
}

for (const [what, damage, reason] of [
  ['a plan that calls a missing function', (c: string) => c.replaceAll('UCASE(', 'NO_SUCH_FN('), /NO_SUCH_FN/],
  ['a plan with a step of an unknown kind', (c: string) => c.replaceAll('"StreamSelect"', '"StreamTeleport"'), /StreamTeleport/],
  ['a plan of a newer version', (c: string) => c.replace('"version":1', '"version":99'), /version 99/],
] as const) {
  test(`a logged query with ${what} starts in ERROR on restart; the server and other queries run`, (t) => {
    withTempDir((dir) => {
      logBrokenQuery(dir, damage);
      let node = openEngine(dir);
      t.deepEqual(showQueries(node).map((q) => [q.id, q.state, q.statusCount]), [
        ['CSAS_SLOW_0', 'RUNNING', { RUNNING: 1 }],
        ['CSAS_BROKEN_9', 'ERROR', { ERROR: 1 }],
      ]);
      const description = explain(node, 'CSAS_BROKEN_9');
      t.is(description.state, 'ERROR');
      t.regex(description.queryErrors[0]!.errorMessage, reason);
      // The sink stays declared, so the query can be cleaned up as usual.
      t.truthy(node.engine.metastore.getSource('BROKEN'));
      node.engine.execute("INSERT INTO CLICKS (ID, URL) VALUES (1, 'a');");
      node.scheduler.runUntilIdle();
      t.deepEqual(readValues(node.broker, 'SLOW'), ['{"URL":"A"}']);
      node.engine.execute('DROP STREAM BROKEN;');
      t.deepEqual(showQueries(node).map((q) => q.id), ['CSAS_SLOW_0']);
      closeEngine(node);

      node = openEngine(dir);
      t.deepEqual(showQueries(node).map((q) => [q.id, q.state]), [['CSAS_SLOW_0', 'RUNNING']]);
      t.is(node.engine.metastore.getSource('BROKEN'), undefined);
      closeEngine(node);
    });
  });
}

test('a failed query can be terminated, and its sink then dropped', (t) => {
  withTempDir((dir) => {
    logBrokenQuery(dir, (c) => c.replaceAll('"UCASE"', '"NO_SUCH_FN"'));
    const node = openEngine(dir);
    node.engine.execute('TERMINATE CSAS_BROKEN_9; DROP STREAM BROKEN;');
    t.deepEqual(showQueries(node).map((q) => q.id), ['CSAS_SLOW_0']);
    closeEngine(node);
  });
});

test('other logged commands that cannot be applied are skipped and the ones after them still apply', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(CLICKS);
    appendCommand(node.broker, '{"kind":"CreateSource","statement":"CREATE STREAM');
    appendCommand(node.broker, '{"kind":"Frobnicate","statement":"FROBNICATE CLICKS;"}');
    appendCommand(node.broker, '{"kind":"CreateSource","statement":"CREATE STREAM NOTHING;","source":null}');
    appendCommand(node.broker, '{"kind":"CreateType","statement":"CREATE TYPE LATER AS INT;","name":"LATER","type":{"kind":"INTEGER"}}');
    closeEngine(node);

    node = openEngine(dir);
    t.deepEqual(node.engine.metastore.listSources().map((s) => s.name), ['CLICKS']);
    t.deepEqual(node.engine.metastore.getType('LATER'), { kind: 'INTEGER' });
    node.engine.execute('CREATE STREAM COPY AS SELECT * FROM CLICKS;');
    t.deepEqual(showQueries(node).map((q) => q.state), ['RUNNING']);
    closeEngine(node);
  });
});

test('a query that cannot start is refused before it is logged, so restarts still work', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(`${CLICKS} CREATE STREAM OUT (ID INT KEY, URL STRING) WITH (KAFKA_TOPIC='out', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    const logged = loggedCommands(node.broker).length;
    // The source's topic disappears behind the server's back.
    node.broker.deleteTopic('clicks');
    t.throws(() => node.engine.execute('CREATE STREAM COPY WITH (PARTITIONS=1) AS SELECT * FROM CLICKS;'), { message: /clicks/ });
    t.throws(() => node.engine.execute('INSERT INTO OUT SELECT * FROM CLICKS;'), { message: /clicks/ });
    t.is(loggedCommands(node.broker).length, logged);
    t.deepEqual(node.engine.listQueries(), []);
    t.is(node.engine.metastore.getSource('COPY'), undefined);
    closeEngine(node);

    node = openEngine(dir);
    t.deepEqual(node.engine.listQueries(), []);
    closeEngine(node);
  });
});

test('a logged replace that cannot start on restart leaves the query it replaces running', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(`${CLICKS} CREATE STREAM SLOW AS SELECT ID, UCASE(URL) AS URL FROM CLICKS;`);
    const slow = loggedCommands(node.broker).at(-1)!;
    // The same query id: on replay, a replace of SLOW's query in place.
    appendCommand(node.broker, slow.replaceAll('UCASE(URL)', 'NO_SUCH_FN(URL)'));
    closeEngine(node);

    node = openEngine(dir);
    t.deepEqual(showQueries(node).map((q) => [q.id, q.state]), [['CSAS_SLOW_0', 'RUNNING']]);
    t.regex(node.engine.getQuery('CSAS_SLOW_0')!.statementText, /UCASE/);
    node.engine.execute("INSERT INTO CLICKS (ID, URL) VALUES (1, 'a');");
    node.scheduler.runUntilIdle();
    t.deepEqual(readValues(node.broker, 'SLOW'), ['{"URL":"A"}']);
    closeEngine(node);
  });
});

test('a logged replace whose tasks cannot start on restart gives the replaced query its tasks and state back', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(`${CLICKS} CREATE TABLE HITS AS SELECT URL, COUNT(*) AS N FROM CLICKS GROUP BY URL;`);
    node.engine.execute("INSERT INTO CLICKS (ID, URL) VALUES (1, 'a');");
    node.scheduler.runUntilIdle();
    const hits = loggedCommands(node.broker).at(-1)!;
    t.true(hits.includes('"COUNT"'));
    appendCommand(node.broker, hits.replaceAll('"COUNT"', '"NO_SUCH_AGG"'));
    closeEngine(node);

    node = openEngine(dir);
    t.deepEqual(showQueries(node).map((q) => [q.id, q.state]), [['CTAS_HITS_0', 'RUNNING']]);
    node.engine.execute("INSERT INTO CLICKS (ID, URL) VALUES (2, 'a');");
    node.scheduler.runUntilIdle();
    t.is(readValues(node.broker, 'HITS').at(-1), '{"N":2}');
    closeEngine(node);
  });
});

/**
 * A query's command as a server before join key formats were resolved logged
 * it: plan format 1 (the step tree as JSON), its join steps without keyFormat,
 * its steps naming no internal topics.
 */
function withoutJoinKeyFormat(command: Command): string {
  const strip = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(strip);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record['kind'] === 'string' && record['kind'].endsWith('Join')) delete record['keyFormat'];
      delete record['repartitionTopic'];
      delete record['changelogTopic'];
      Object.values(record).forEach(strip);
    }
  };
  if (command.kind !== 'CreateQuery') throw new Error('not a query');
  const { plan } = command;
  const legacy = JSON.parse(stringifyWithBigInt({ ...command, plan: { version: 1, queryId: plan.queryId, sink: plan.sink, sourceNames: plan.sourceNames, physicalPlan: plan.physicalPlan } })) as unknown;
  strip(legacy);
  return stringifyWithBigInt(legacy);
}

test('a join query logged by an earlier version keeps the repartition topic it always wrote after an upgrade, and joins on', (t) => {
  const ddl = `CREATE STREAM S (ID INT KEY, TID BIGINT, V STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');
    CREATE TABLE T (ID BIGINT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');`;
  const properties = { 'auto.offset.reset': 'earliest' };
  let legacy = '';
  withTempDir((dir) => {
    const node = openEngine(dir, { properties });
    node.engine.execute(`${ddl} CREATE STREAM J AS SELECT S.TID, S.V, T.NAME FROM S JOIN T ON S.TID = T.ID;`);
    legacy = withoutJoinKeyFormat(node.engine.listQueries()[0]!.command);
    const internal = [...node.engine.listQueries()[0]!.internalTopics];
    t.true(internal.some((n) => n.endsWith('-Join-repartition')), `a new plan names the stream side's topic as ksqlDB does: ${internal.join(', ')}`);
    closeEngine(node);
  });
  withTempDir((dir) => {
    let node = openEngine(dir, { properties });
    node.engine.execute(ddl);
    // The earlier server created the sink topic when it ran the statement.
    node.broker.createTopic('J', { partitions: 1 });
    appendCommand(node.broker, legacy);
    closeEngine(node);
    node = openEngine(dir, { properties });
    try {
      const internal = [...node.engine.listQueries()[0]!.internalTopics];
      t.true(internal.some((n) => n.endsWith('-Join-left-repartition')), `the earlier plan keeps its topic: ${internal.join(', ')}`);
      node.engine.execute("INSERT INTO T (ROWTIME, ID, NAME) VALUES (1000, 7, 'seven'); INSERT INTO S (ROWTIME, ID, TID, V) VALUES (2000, 1, 7, 'x');");
      node.scheduler.runUntilIdle();
      t.deepEqual(showQueries(node).map((q) => q.state), ['RUNNING']);
      t.deepEqual(readValues(node.broker, 'J'), ['{"V":"x","NAME":"seven"}']);
    } finally {
      closeEngine(node);
    }
  });
});

test('a drop an older server logged while a sink still read the source releases that source\'s name on replay', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir);
    node.engine.execute(`${CLICKS} CREATE STREAM COPY AS SELECT * FROM CLICKS; TERMINATE CSAS_COPY_0;`);
    // An older server checked only running queries, and let this drop through.
    appendCommand(node.broker, '{"kind":"DropSource","statement":"DROP STREAM CLICKS;","name":"CLICKS","deleteTopic":false}');
    closeEngine(node);
    node = openEngine(dir);
    try {
      t.is(node.engine.metastore.getSource('CLICKS'), undefined);
      node.engine.execute(CLICKS);
      node.engine.execute('DROP STREAM CLICKS;');
      t.is(node.engine.metastore.getSource('CLICKS'), undefined);
    } finally {
      closeEngine(node);
    }
  });
});

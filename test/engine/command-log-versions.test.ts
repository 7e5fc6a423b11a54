/**
 * Command logs written by earlier versions replay on this one: the same
 * queries (ids), the same internal topics (an upgrade must not strand records
 * in a renamed topic) and the same results. The logs are recorded under
 * test/fixtures/command-logs/<version>/ as written then, one command a line
 * (v1: plans as step trees with AST expressions; v2: plan graphs with step
 * versions and SQL expressions). Keep them as they are: they are history.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine } from '../helpers/temp-engine.js';

const COMMAND_TOPIC = '_confluent-ksql-default__command_topic';
const PREFIX = '_confluent-ksql-default_query_';

function loggedLines(version: string, name: string): string[] {
  const file = fileURLToPath(new URL(`../../../test/fixtures/command-logs/${version}/${name}.jsonl`, import.meta.url));
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0);
}

/** A data directory whose command log holds `lines`, with the (empty) source and sink topics they name. */
function writeCommandLog(dir: string, lines: readonly string[], sourceTopics: readonly string[]): void {
  const broker = openEmbeddedBroker({ dataDir: dir });
  for (const topic of sourceTopics) broker.createTopic(topic, { partitions: 2 });
  broker.createTopic(COMMAND_TOPIC, { partitions: 1, config: { 'retention.ms': -1 } });
  broker.append(COMMAND_TOPIC, lines.map((line) => ({ key: null, value: Buffer.from(line), partition: 0 })));
  broker.close();
}

for (const version of ['v1', 'v2']) test(`a ${version} command log replays: same query ids, internal topics and results`, (t) => {
  withTempDir((dir) => {
    writeCommandLog(dir, loggedLines(version, 'queries'), ['s', 't', 'BIG', 'COUNTS', 'NAMED', 'PER_MINUTE']);
    // No cache: each update of a batch is written, which the expected results list.
    const node = openEngine(dir, { properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': 0 } });
    try {
      const { engine, broker, scheduler } = node;
      t.deepEqual(engine.listQueries().map((q) => [q.id, q.state]), [
        ['CSAS_BIG_0', 'RUNNING'], ['CTAS_COUNTS_1', 'RUNNING'], ['CSAS_NAMED_2', 'RUNNING'], ['CTAS_PER_MINUTE_3', 'RUNNING'],
      ]);
      t.deepEqual(broker.listTopics().filter((topic) => topic.startsWith(PREFIX)).sort(), [
        `${PREFIX}CSAS_NAMED_2-Join-repartition`,
        `${PREFIX}CSAS_NAMED_2-KafkaTopic_Right-Reduce-changelog`,
        `${PREFIX}CTAS_COUNTS_1-Aggregate-GroupBy-repartition`,
      ]);
      engine.execute("INSERT INTO T (ID, NAME) VALUES (5, 'five');");
      scheduler.runUntilIdle();
      engine.execute("INSERT INTO S (ID, A, B, ROWTIME) VALUES (1, 5, 'xa', 1000); INSERT INTO S (ID, A, B, ROWTIME) VALUES (2, 1, 'xb', 2000);"
        + " INSERT INTO S (ID, A, B, ROWTIME) VALUES (1, 7, 'xa', 3000);");
      scheduler.runUntilIdle();
      const values = (topic: string): string[] => [0, 1].flatMap((p) => broker.read(topic, p, 0, { maxRecords: 100 }))
        .map((r) => r.value?.toString() ?? 'null').sort();
      t.deepEqual(values('BIG'), ['{"A2":10,"B":"XA"}', '{"A2":14,"B":"XA"}']);
      t.deepEqual(values('COUNTS'), ['{"C":1,"TOTAL":1}', '{"C":1,"TOTAL":5}', '{"C":2,"TOTAL":12}']);
      t.deepEqual(values('NAMED'), ['{"SID":1,"NAME":"five"}']);
      t.deepEqual(values('PER_MINUTE'), ['{"C":1}', '{"C":1}', '{"C":2}']);
    } finally {
      closeEngine(node);
    }
  });
});

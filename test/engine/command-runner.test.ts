import test from 'ava';
import {
  brokerCommandTopic, brokerTaskLog, brokerTopicStore, type AppendedRecord, type CommandAppend, type CommandTopic, type FetchResult, type TaskLog, type TopicDescription,
  type TopicStore,
} from '../../src/broker/index.js';
import { KsqlError } from '../../src/common/errors.js';
import { KsqlConfig } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine, type EngineNode } from '../helpers/temp-engine.js';

const CLICKS = "CREATE STREAM CLICKS (ID INT KEY, URL STRING) WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON');";
const COMMAND_TOPIC = '_confluent-ksql-default__command_topic';

/** A second server of the same service id over the same log (what a cluster of servers shares). */
function secondEngine(node: EngineNode, commandTopic?: CommandTopic): KsqlEngine {
  return new KsqlEngine({
    broker: node.broker,
    scheduler: new Scheduler(),
    config: new KsqlConfig({}),
    functions: createFunctionRegistry(),
    ...(commandTopic === undefined ? {} : {
      log: { topics: brokerTopicStore(node.broker), commandTopic, taskLog: brokerTaskLog(node.broker) },
    }),
  });
}

function withTwoEngines(body: (a: EngineNode, b: KsqlEngine) => void | Promise<void>): Promise<void> {
  return withTempDir(async (dir) => {
    const a = openEngine(dir);
    const b = secondEngine(a);
    try {
      await body(a, b);
    } finally {
      b.close();
      closeEngine(a);
    }
  });
}

test('a stream created through one server reaches another once it applies the new commands', (t) => withTwoEngines((a, b) => {
  a.engine.execute(CLICKS);
  t.is(b.metastore.getSource('CLICKS'), undefined);
  t.is(b.applyNewCommands(), 1);
  t.is(b.metastore.getSource('CLICKS')?.topic, 'clicks');
  t.is(b.applyNewCommands(), 0, 'each command is applied once');
}));

test('a query started through one server runs on the other too, as every server of a ksqlDB cluster runs it', (t) => withTwoEngines((a, b) => {
  a.engine.execute(`${CLICKS} CREATE STREAM COPY AS SELECT * FROM CLICKS;`);
  b.applyNewCommands();
  t.deepEqual(b.listQueries().map((q) => [q.id, q.state]), a.engine.listQueries().map((q) => [q.id, 'RUNNING']));
  t.truthy(b.metastore.getSource('COPY'));
}));

test('the command runner applies commands other servers write as they appear', (t) => withTwoEngines(async (a, b) => {
  b.startCommandRunner(10);
  a.engine.execute(CLICKS);
  const deadline = Date.now() + 5000;
  while (b.metastore.getSource('CLICKS') === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  t.truthy(b.metastore.getSource('CLICKS'));
}));

test('a statement checked against a catalog other servers changed since runs again against the catalog they left', (t) => withTwoEngines((a, b) => {
  a.engine.execute(CLICKS);
  // B checked CLICKS as new: its commit applies A's command first, and the statement, run again, finds the stream.
  t.regex((t.throws(() => b.execute(CLICKS)) as Error).message, /^Cannot add stream 'CLICKS': A stream with the same name already exists/);
  a.engine.execute("CREATE STREAM VIEWS (ID INT KEY, URL STRING) WITH (KAFKA_TOPIC='views', PARTITIONS=1, VALUE_FORMAT='JSON');");
  b.execute('CREATE STREAM COPY AS SELECT * FROM CLICKS;');
  t.deepEqual(b.metastore.listSources().map((s) => s.name).sort(), ['CLICKS', 'COPY', 'VIEWS']);
  a.engine.applyNewCommands();
  t.deepEqual(a.engine.metastore.listSources().map((s) => s.name).sort(), ['CLICKS', 'COPY', 'VIEWS']);
}));

test('a statement whose append another server fenced fails with a statement error and changes nothing', (t) => withTempDir(async (dir) => {
  const a = openEngine(dir);
  const shared = brokerCommandTopic(a.broker, COMMAND_TOPIC);
  // Another server opens its append right after this one's: this one is fenced.
  const fencing: CommandTopic = {
    ...shared,
    beginAppend: () => {
      const append = shared.beginAppend();
      brokerCommandTopic(a.broker, COMMAND_TOPIC).beginAppend();
      return append;
    },
  };
  const b = secondEngine(a, fencing);
  try {
    await b.ready;
    const error = await t.throwsAsync(b.executeAsync(CLICKS), { instanceOf: KsqlError });
    t.regex(error.message, /^Could not write the statement into the command topic _confluent-ksql-default__command_topic: another server of this service id opened its own append, which fenced this one\. Run the statement again\.$/);
    t.is(error.statementText, CLICKS);
    t.is(b.metastore.getSource('CLICKS'), undefined);
    t.is(a.broker.latestOffset(COMMAND_TOPIC, 0), 0, 'nothing was written');
  } finally {
    b.close();
    closeEngine(a);
  }
}));

/** The embedded log answering every change and append later, as a remote log (Kafka) does. */
function answeringLater(node: EngineNode): { topics: TopicStore; commandTopic: CommandTopic; taskLog: TaskLog } {
  const topics = brokerTopicStore(node.broker);
  const commands = brokerCommandTopic(node.broker, COMMAND_TOPIC);
  const later = <T>(value: () => T): Promise<T> => new Promise((resolve, reject) => setImmediate(() => {
    try {
      resolve(value());
    } catch (error) {
      reject(error);
    }
  }));
  return {
    topics: {
      ...topics,
      refresh: () => later(() => undefined),
      createTopic: (name, options) => later(() => topics.createTopic(name, options) as TopicDescription),
      deleteTopic: (name, options) => later(() => topics.deleteTopic(name, options) as boolean),
      append: (topic, records) => later(() => topics.append(topic, records) as AppendedRecord[]),
    },
    commandTopic: {
      ...commands,
      read: (from) => later(() => commands.read(from) as FetchResult),
      beginAppend: () => later(() => {
        const append = commands.beginAppend() as CommandAppend;
        return { ...append, write: (value: Buffer) => later(() => append.write(value) as number) };
      }),
    },
    taskLog: brokerTaskLog(node.broker),
  };
}

test('over a log that answers later, statements wait for it in order, and their effects are those of the embedded log', (t) => withTempDir(async (dir) => {
  const a = openEngine(dir);
  const b = new KsqlEngine({
    broker: a.broker, scheduler: a.scheduler, config: new KsqlConfig({}), functions: createFunctionRegistry(), log: answeringLater(a),
  });
  try {
    t.true(b.ready instanceof Promise);
    await b.ready;
    t.throws(() => b.execute(CLICKS), { message: /answers later: run statements with executeAsync/ });
    const entities = await b.executeAsync(`${CLICKS}
      INSERT INTO CLICKS (ID, URL) VALUES (1, 'a');
      CREATE STREAM COPY AS SELECT * FROM CLICKS;
      DROP STREAM COPY DELETE TOPIC;`);
    t.deepEqual(entities.map((e) => e['@type']), ['currentStatus', 'empty', 'currentStatus', 'currentStatus']);
    t.true(a.broker.hasTopic('clicks'));
    t.is(a.broker.read('clicks', 0, 0).length, 1);
    t.is(b.metastore.getSource('COPY'), undefined);
    await new Promise((resolve) => setImmediate(resolve));
    t.false(a.broker.hasTopic('COPY'), 'the dropped sink topic is deleted');
    a.engine.applyNewCommands();
    t.truthy(a.engine.metastore.getSource('CLICKS'), 'the commands are in the shared command topic');
  } finally {
    b.close();
    closeEngine(a);
  }
}));

/**
 * A push query over a join or an aggregation (stores, and a repartition
 * topic when its GROUP BY re-keys the input), run as ksqlDB runs one: the same topology as the
 * persistent query of the same SELECT (repartitions and stores included),
 * under a transient application id, `_confluent-ksql-<service>transient_<id>_<time>`,
 * which names its consumer group and prefixes its internal topics. Its tasks
 * commit like a persistent query's, but its rows go to the client. On a
 * remote log its tasks are built once the log has created its internal
 * topics (the client waits, as a persistent query's tasks do). When the
 * query ends (client gone, LIMIT reached, server stop, failure), its tasks
 * stop and its stores, internal topics and group offsets are deleted.
 */
import type { AnalyzedQuery } from '../analyzer/query-analyzer.js';
import { KsqlError, statementError } from '../common/errors.js';
import type { Row } from '../expr/row.js';
import { planStream } from '../planner/plan-query.js';
import { buildTransientTopology } from '../runtime/build-topology.js';
import type { PollResult } from '../runtime/scheduler.js';
import type { StreamTask } from '../runtime/task.js';
import { isPromise, type MaybeAsync } from '../common/maybe-async.js';
import { TransientQuery, type TransientTask } from '../runtime/transient-query.js';
import type { PropertyValue } from './config.js';
import { CONTINUATION_TOKEN_PROPERTY } from './continuation-token.js';
import type { EnginePorts } from './engine-ports.js';
import { transientApplicationId } from './transient-application-id.js';
import { joinSourcesOf, sourceOf } from './statements/persistent-query-plan.js';
import { ensureInternalTopics } from './internal-topics.js';
import { startOffsetOf } from './start-offset.js';
import type { PreparedQuery } from './prepared-query.js';
import type { ResultColumn } from './result-rows.js';

export interface JoinPushShape {
  readonly analysis: AnalyzedQuery;
  readonly statementText: string;
  readonly properties: Record<string, PropertyValue>;
  readonly columns: readonly ResultColumn[];
  /** Where each result column sits in the rows the plan produces. */
  readonly select: readonly number[];
}

export function prepareJoinPush(ports: EnginePorts, shape: JoinPushShape): PreparedQuery {
  const { analysis, columns, select, statementText } = shape;
  if (shape.properties[CONTINUATION_TOKEN_PROPERTY] !== undefined) {
    throw statementError('A continuation token resumes a push query over one source, not over a join.');
  }
  const from = sourceOf(ports, analysis);
  const config = ports.config.withOverrides(shape.properties);
  const step = planStream(analysis, from, joinSourcesOf(ports, analysis), config.getString('ksql.persistence.default.format.key') ?? 'KAFKA');
  const earliest = String(config.get('auto.offset.reset') ?? 'latest') === 'earliest';
  const keyPositions = analysis.projection.map((p) => p.keyIndex >= 0);
  const id = ports.runner.nextTransientQueryId(from.name, false);
  return {
    id,
    isPull: false,
    sourceName: from.name,
    columns,
    statementText,
    start(sink) {
      const { topics, taskLog } = ports.log;
      const group = transientApplicationId(ports, id);
      const internalTopics = new Set<string>();
      const tasks: StreamTask[] = [];
      // A query ending inside its tasks' polls (its LIMIT) tears down once every poll under way has returned:
      // a task closes its stores only then, and they must be closed to be dropped.
      let polling = 0;
      let teardown: (() => void) | undefined;
      const whenIdle = (action: () => void): void => {
        if (polling > 0) teardown = action;
        else action();
      };
      const schedulable = (task: StreamTask): TransientTask => ({
        topic: task.topic,
        partition: task.partition,
        poll: (maxRecords) => {
          polling++;
          const done = (): void => {
            polling--;
            if (polling > 0) return;
            const pending = teardown;
            teardown = undefined;
            pending?.();
          };
          let result: PollResult;
          try {
            result = task.poll(maxRecords);
          } catch (error) {
            done();
            throw error;
          }
          // A poll waiting on the log stays "polling" until it settles.
          if (isPromise(result)) return result.finally(done);
          done();
          return result;
        },
        fail: (error) => task.fail(error),
        // The tasks close together with the rest of the query's resources, in onEnd.
        close: () => undefined,
      });
      // Once: a build that fails after the query started fails it, which cleans up again.
      let cleaned = false;
      const cleanUp = (): void => {
        if (cleaned) return;
        cleaned = true;
        for (const task of tasks) task.close();
        ports.runner.stores.dropQueryStores(id);
        for (const topic of internalTopics) {
          const deleted = topics.deleteTopic(topic, { ifExists: true });
          if (isPromise(deleted)) deleted.catch(() => undefined);
        }
        const deleted = taskLog.deleteGroup(group);
        if (isPromise(deleted)) deleted.catch(() => undefined);
      };
      const transient = new TransientQuery({
        id,
        statementText,
        sourceName: from.name,
        columns,
        limit: analysis.limit,
        tasks: (query) => {
          const topology = buildTransientTopology(step, ports.runner.topologyContext(id, group, config), (row) => query.deliver(row));
          for (const internal of topology.internalTopics) internalTopics.add(internal.name);
          // The tasks are built once the topics exist: a remote log creates them later, and the query waits.
          return afterTopicsExist(() => ensureInternalTopics(topics, topology.internalTopics), id, () => {
            // A query ended while its topics were being created builds nothing.
            if (query.isEnded) return [];
            try {
              tasks.push(...ports.runner.createTasks(id, group, topology, {
                startOffset: (topic, partition) => startOffsetOf(ports.log, earliest || internalTopics.has(topic), topic, partition),
                purge: { internalTopics, intervalMs: config.getInteger('repartition.purge.interval.ms')! },
                inputFromStart: false,
                onFailure: (error) => query.fail(error),
                cacheMaxBytes: config.getInteger('cache.max.bytes.buffering')!,
              }));
            } catch (error) {
              cleanUp();
              throw error;
            }
            return tasks.map((task) => schedulable(task));
          });
        },
        onRow: (row: Row) => {
          const values = select.map((i) => row.values[i] ?? null);
          // A table result's deletion reaches the client as a tombstone of its key.
          if (row.nullValue) sink.row(values.map((v, i) => (keyPositions[i] ? v : null)), true);
          else sink.row(values);
        },
        onEnd: (end) => whenIdle(() => {
          try {
            cleanUp();
          } finally {
            ports.runner.forgetTransientQuery(id);
            sink.end(end);
          }
        }),
      });
      ports.runner.registerTransientQuery(transient);
      transient.start(ports.runner.scheduler);
      return transient;
    },
  };
}

/** How many times a push query waits for its internal topics before it fails: the log's creations end or fail on their own. */
const TOPIC_WAITS = 3;

/**
 * Runs `build` once `ensure` says the topics exist: at once on a log that
 * creates them at once, else after each creation settles (it fails the
 * query when it fails), at most TOPIC_WAITS times.
 */
function afterTopicsExist<T>(ensure: () => MaybeAsync<void>, queryId: string, build: () => T, waits = TOPIC_WAITS): MaybeAsync<T> {
  const creating = ensure();
  if (!isPromise(creating)) return build();
  if (waits === 0) {
    creating.catch(() => undefined);
    throw new KsqlError('SERVER_ERROR', `The internal topics of push query ${queryId} were not created in time.`);
  }
  return creating.then(() => afterTopicsExist(ensure, queryId, build, waits - 1));
}

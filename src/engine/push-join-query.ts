/**
 * A push query over a join (or an aggregation whose GROUP BY needs a
 * repartition topic), run as ksqlDB runs one: the same topology as the
 * persistent query of the same SELECT (repartitions and stores included),
 * under a transient application id, `_confluent-ksql-<service>transient_<id>_<time>`,
 * which names its consumer group and prefixes its internal topics. Its tasks
 * commit like a persistent query's, but its rows go to the client. When the
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
import { isPromise } from '../common/maybe-async.js';
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
      // A query ending inside one of its tasks' polls (its LIMIT) tears down once that poll returns.
      let polling = false;
      let teardown: (() => void) | undefined;
      const whenIdle = (action: () => void): void => {
        if (polling) teardown = action;
        else action();
      };
      const cleanUp = (): void => {
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
          const creating = ensureInternalTopics(topics, topology.internalTopics);
          if (isPromise(creating)) {
            // A push query runs once, now: it cannot wait for a remote log to create its topics.
            creating.catch(() => undefined);
            throw new KsqlError('SERVER_ERROR', `The internal topics of push query ${id} are being created: run the query again.`);
          }
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
          return tasks.map((task): TransientTask => ({
            topic: task.topic,
            partition: task.partition,
            poll: (maxRecords) => {
              polling = true;
              const done = (): void => {
                polling = false;
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
          }));
        },
        onRow: (row: Row) => {
          const values = select.map((i) => row.values[i] ?? null);
          // A table result's deletion reaches the client as a tombstone of its key.
          if (row.nullValue) sink.row(values.map((v, i) => (keyPositions[i] ? v : null)), true);
          else sink.row(values);
        },
        onEnd: (end) => whenIdle(() => {
          cleanUp();
          ports.runner.forgetTransientQuery(id);
          sink.end(end);
        }),
      });
      ports.runner.registerTransientQuery(transient);
      transient.start(ports.runner.scheduler);
      return transient;
    },
  };
}

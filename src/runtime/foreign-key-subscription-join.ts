/**
 * The foreign-key table-table join across partitions, as Kafka Streams runs
 * it: the left and right tables need not be co-partitioned, since a left row
 * reaches the right row it refers to through topics.
 *
 * - The left task stores its left rows and, for each change, sends a
 *   subscription keyed by the foreign key to the registration topic
 *   (`KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n>-topic`, partitioned as the
 *   right table, by the foreign key written in the right key's format), and an
 *   unsubscription to the foreign key it held before.
 * - The right task keeps the right rows and the subscriptions per foreign key;
 *   it answers a subscription, and every subscription of a key whose right row
 *   changes, on the response topic (`KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-<n>-topic`)
 *   in the partition of the left task that subscribed.
 * - The left task joins a response with its current left row, unless the row
 *   changed since it subscribed (the response carries a hash of the row it
 *   answers), and keeps the last result per left key, so a result that
 *   disappears becomes a tombstone as in the single-task join
 *   (foreign-key-join-operator.ts): a left deletion always emits one; a left
 *   row whose foreign key is NULL needs no right row and is joined at once.
 *
 * The planner names both topics (planner/internal-topics.ts) and cuts the
 * right table's sub-topology (planner/plan-graph.ts), which this builds.
 */
import { createHash } from 'node:crypto';
import type { ConsumedRecord } from '../broker/broker.js';
import type { Row } from '../expr/row.js';
import { createSerde } from '../formats/index.js';
import type { Join, StreamSource } from '../planner/steps.js';
import type { RowSink } from './row-sink.js';
import { binderOver, compileGuarded, loggerName, rowText, type TopologyContext } from './guarded-expression.js';
import { buildAssemble, decodeSideRow, encodeSideRow, joinStoreName, type SideRow } from './join-operator.js';
import { recordProcessingError } from './processing-log.js';
import { internalTopicName, type Builder, type StepBuild, type SubTopology, type TaskScope } from './step-build.js';
import { decodeValue, encodeValue } from './value-codec.js';

const SUBSCRIBE = 'S';
const UNSUBSCRIBE = 'U';

/** The index key prefix of a foreign key: its encoded length, then its encoding. */
function indexPrefix(foreignKey: unknown): Buffer {
  const encoded = encodeValue(foreignKey);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(encoded.length);
  return Buffer.concat([length, encoded]);
}

/** A version of a left row: the hash of its stored bytes. */
function rowHash(stored: Buffer): string {
  return createHash('sha1').update(stored).digest('hex');
}

function isNull(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

export function buildSubscriptionJoin(step: Join, b: Builder, left: StepBuild, right: StepBuild): StepBuild {
  const { ctx } = b;
  const registrationTopic = internalTopicName(ctx, step.registrationTopic);
  const responseTopic = internalTopicName(ctx, step.responseTopic);
  const name = joinStoreName(step);
  const rightSource = step.right.source as StreamSource;
  const foreignKeySerde = createSerde({
    format: rightSource.keyFormat.format, target: 'key', columns: rightSource.schema.key.slice(0, 1),
    properties: rightSource.keyFormat.properties, features: rightSource.keyFormat.features, topic: rightSource.topic, registry: ctx.schemaRegistry,
  });
  b.subTopologies.push(rightSubTopology(name, registrationTopic, responseTopic, right));
  const assemble = buildAssemble(step);
  const inner = step.joinType === 'INNER';
  const leftKeyCount = left.schema.key.length;
  const leftTopics = new Set(left.root.topics);
  const foreignKey = binderOver(left.schema, left.windowed, ctx)(step.left.expression);
  return {
    schema: step.schema,
    windowed: left.windowed,
    root: {
      topics: [...left.root.topics, responseTopic],
      read(task, entry) {
        const leftStore = task.state.keyValueStore(`${name}-FkJoin-Left`);
        const results = task.state.keyValueStore(`${name}-FkJoin-Result`);
        const foreignKeyOf = compileGuarded(foreignKey, left.schema, ctx, task.output, 'Join', 'the foreign key');
        const sideRowOf = (id: Buffer): SideRow | null => {
          const bytes = leftStore.get(id);
          return bytes === null ? null : decodeSideRow(bytes);
        };
        const emit = (template: Row, id: Buffer, key: unknown, now: unknown[] | null, always: boolean): void => {
          const stored = results.get(id);
          const previous = stored === null ? null : decodeValue(stored) as unknown[];
          results.put(id, now === null ? null : encodeValue(now));
          const old = previous === null ? null : { ...template, values: previous, nullValue: false };
          if (now !== null) entry({ ...template, values: now, nullValue: false }, old);
          else if (previous !== null || always) entry({ ...template, values: assemble(key, null, null), nullValue: true }, old);
        };
        const send = (kind: string, foreignKey: unknown, key: unknown, row: Row, hash: string | null): void => {
          let partitionKey: Buffer | undefined;
          try {
            partitionKey = foreignKeySerde.serialize([foreignKey]) ?? undefined;
          } catch (error) {
            task.output.logError(recordProcessingError(loggerName(ctx, 'Join'), error, ctx.includeRows ? rowText(row, left.schema) : null));
            return;
          }
          task.output.emit(registrationTopic, {
            key: encodeValue([foreignKey]), value: encodeValue([kind, key, hash, task.state.partition]), timestamp: row.timestamp, partitionKey,
          });
        };
        const onLeft: RowSink = (row) => {
          const key = leftKeyCount > 1 ? row.values.slice(0, leftKeyCount) : row.values[0];
          if (isNull(key)) return;
          const id = encodeValue([key]);
          const before = sideRowOf(id);
          const oldForeignKey = before === null ? null : foreignKeyOf({ ...row, values: before.values as unknown[], nullValue: false });
          const foreignKey = row.nullValue ? null : foreignKeyOf(row);
          const stored = row.nullValue ? null : encodeSideRow(row);
          leftStore.put(id, stored);
          const moved = !isNull(oldForeignKey) && (isNull(foreignKey) || !encodeValue(oldForeignKey).equals(encodeValue(foreignKey)));
          if (moved) send(UNSUBSCRIBE, oldForeignKey, key, row, null);
          if (row.nullValue) emit(row, id, key, null, true);
          else if (isNull(foreignKey)) emit(row, id, key, inner ? null : assemble(key, row, null), false);
          else send(SUBSCRIBE, foreignKey, key, row, rowHash(stored!));
        };
        const onResponse = (record: ConsumedRecord): void => {
          const [key] = decodeValue(record.key!) as unknown[];
          const [hash, rightBytes, rightTime] = decodeValue(record.value!) as [string, Buffer | null, number | null];
          const id = encodeValue([key]);
          const stored = leftStore.get(id);
          // Answers a version of the left row that has changed since: the answer to the newer one follows.
          if (stored === null || rowHash(stored) !== hash) return;
          const current = decodeSideRow(stored);
          const matched = rightBytes === null ? null : decodeSideRow(rightBytes);
          const timestamp = rightTime === null ? current.timestamp : Math.max(current.timestamp, rightTime);
          const template: Row = {
            values: current.values as unknown[], timestamp, partition: current.partition, offset: current.offset, headers: [], window: null, nullValue: false,
          };
          emit(template, id, key, matched === null && inner ? null : assemble(key, current, matched), false);
        };
        const readLeft = left.root.read(task, left.connect(task, onLeft));
        return (record) => (leftTopics.has(record.topic) ? readLeft(record) : onResponse(record));
      },
    },
    connect: (_task, next) => next,
  };
}

/** The right table's task: its rows, the subscriptions to each key, and the answers to them. */
function rightSubTopology(name: string, registrationTopic: string, responseTopic: string, right: StepBuild): SubTopology {
  return {
    sourceTopics: [registrationTopic, ...right.root.topics],
    buildProcessor(task: TaskScope) {
      const rightStore = task.state.keyValueStore(`${name}-FkJoin-Right`);
      const subscriptions = task.state.keyValueStore(`${name}-FkJoin-Subscriptions`);
      const respond = (key: unknown, hash: string, partition: number, rightRow: SideRow | null, rightTime: number | null, timestamp: number): void => {
        task.output.emit(responseTopic, {
          key: encodeValue([key]), value: encodeValue([hash, rightRow === null ? null : encodeSideRow(rightRow), rightTime]), timestamp, partition,
        });
      };
      const onRegistration = (record: ConsumedRecord): void => {
        const [foreignKey] = decodeValue(record.key!) as unknown[];
        const [kind, key, hash, partition] = decodeValue(record.value!) as [string, unknown, string | null, number];
        const id = Buffer.concat([indexPrefix(foreignKey), encodeValue([key])]);
        if (kind === UNSUBSCRIBE) {
          subscriptions.delete(id);
          return;
        }
        subscriptions.put(id, encodeValue([hash, partition]));
        const stored = rightStore.get(encodeValue([foreignKey]));
        const rightRow = stored === null ? null : decodeSideRow(stored);
        respond(key, hash!, partition, rightRow, rightRow?.timestamp ?? null, record.timestamp);
      };
      const onRight: RowSink = (row) => {
        const key = row.values[0];
        if (isNull(key)) return;
        rightStore.put(encodeValue([key]), row.nullValue ? null : encodeSideRow(row));
        const prefix = indexPrefix(key);
        for (const entry of [...subscriptions.prefixScan(prefix)]) {
          const [leftKey] = decodeValue(entry.key.subarray(prefix.length)) as unknown[];
          const [hash, partition] = decodeValue(entry.value) as [string, number];
          respond(leftKey, hash, partition, row.nullValue ? null : row, row.timestamp, row.timestamp);
        }
      };
      const readRight = right.root.read(task, right.connect(task, onRight));
      const { state } = task;
      return {
        process: (record) => (record.topic === registrationTopic ? onRegistration(record) : readRight(record)),
        state,
        close: () => state.close(),
      };
    },
  };
}

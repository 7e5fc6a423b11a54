/**
 * The shapes that building a topology passes between its step builders
 * (build-topology.ts, build-join.ts): what a built step offers the next one,
 * where a chain's rows come from, the sub-topologies a build collects, and the helpers every builder uses.
 */
import type { ConsumedRecord } from '../broker/broker.js';
import { KsqlError } from '../common/errors.js';
import type { Row } from '../expr/row.js';
import type { ExecutionStep } from '../planner/steps.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import type { RowSink } from './row-sink.js';
import type { ColumnReads } from './column-reads.js';
import type { CommittedInput } from './committed-input.js';
import type { TopologyContext } from './guarded-expression.js';
import type { RecordProcessor, TaskOutput } from './task.js';
import type { TaskState } from './task-state.js';

/** What a task's operators work with. */
export interface TaskScope {
  readonly output: TaskOutput;
  readonly state: TaskState;
  /** The records the task committed from offset 0, for a task that read its input from there (table source stores rebuild from it). */
  readonly committedInput?: CommittedInput;
}

/** One topic's worth of a query: a task per partition of `sourceTopic`. */
export interface SubTopology {
  /** One topic, or both sides of a join (read by one task per partition). */
  readonly sourceTopics: readonly string[];
  buildProcessor(task: TaskScope): RecordProcessor;
}

/** Where a chain's rows come from: its topics and how a record enters the chain. */
export interface Root {
  readonly topics: readonly string[];
  read(task: TaskScope, entry: RowSink): (record: ConsumedRecord) => void;
}

export interface StepBuild {
  readonly schema: LogicalSchema;
  readonly windowed: boolean;
  readonly root: Root;
  /** Connects this step to what follows; returns the function the root feeds. */
  readonly connect: (task: TaskScope, next: RowSink) => RowSink;
}

export interface Builder {
  readonly ctx: TopologyContext;
  readonly subTopologies: SubTopology[];
  /** Builds an upstream step into this builder. */
  readonly buildStep: (step: ExecutionStep) => StepBuild;
  /** What the filters and projections built read of their sources (a join's repartition writes only that). */
  readonly reads: ColumnReads;
  /** Steps built already, used in their place (a pull query's reader of an aggregate's store). */
  readonly built?: ReadonlyMap<ExecutionStep, StepBuild>;
}

/** A sub-topology from a built chain and its terminal operator. */
export function chain(build: StepBuild, terminal: (task: TaskScope) => RowSink): SubTopology {
  return {
    sourceTopics: build.root.topics,
    buildProcessor(task) {
      const entry = build.connect(task, terminal(task));
      const process = build.root.read(task, entry);
      const { state } = task;
      return { process, state, close: () => state.close() };
    },
  };
}

/** The full name of an internal topic the plan names (internal-topics.ts), after the query's prefix. */
export function internalTopicName(ctx: TopologyContext, name: string | undefined): string {
  if (name === undefined) throw new KsqlError('SERVER_ERROR', 'the plan names no internal topic for a step that needs one');
  return `${ctx.internalTopicPrefix}-${name}`;
}

/** The deletion of `row`'s key: the row marked as having no value. */
export function tombstone(row: Row): Row {
  const values = row.values.slice();
  return { ...row, values, nullValue: true };
}

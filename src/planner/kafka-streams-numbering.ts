/**
 * Kafka Streams numbers the processor nodes (and unnamed stores) of a
 * topology from one counter as ksqlDB's steps call its DSL, and a DSL call
 * draws its number even when ksqlDB names the node (Kafka Streams "burns"
 * it to keep topologies compatible). ksqlDB leaves the window stores of a
 * stream-stream join unnamed, so they take their names from that counter:
 * `KSTREAM-JOINTHIS-<n>-store` and `KSTREAM-JOINOTHER-<n+1>-store`. This
 * file counts the numbers each part of a join's plan draws, in the order
 * ksqlDB builds it:
 * - a stream source: the topic's source node, the node adding the pseudo
 *   and key columns, and the projection prefixing the columns with the
 *   source's alias (3);
 * - a table source: the source node, its table-source node and its store
 *   (the table is read without a store name), two value transformers (the
 *   pseudo columns to keep, the others), and the alias projection (6);
 * - a stream side joined on something other than its key: the key
 *   selection, then the repartition's sink, null-key filter and source (4);
 * - a table side re-keyed: toStream, the key mapper, toTable, and the
 *   repartition's three nodes (6);
 * - a stream-stream join: two "windowed" nodes, this, other, merge (5); its
 *   left side is built before its right one;
 * - a stream-table join: one node; its right (table) side is built first.
 * A join's output side of a later join adds only what its repartition
 * draws: ksqlDB projects the sources of a join, not the joins feeding one.
 * Nothing of a query draws a number before its joins, which start it.
 */
import { KsqlError } from '../common/errors.js';
import type { Join, JoinSideStep } from './steps.js';

const STREAM_SOURCE = 3;
const TABLE_SOURCE = 6;
const STREAM_REPARTITION = 4;
const TABLE_REPARTITION = 6;
/** The numbers a stream-stream join draws before its "this" node: the two windowed nodes. */
const WINDOWED_NODES = 2;
const STREAM_STREAM_JOIN = 5;
const STREAM_TABLE_JOIN = 1;

/** The sides of a join in the order ksqlDB builds them. */
export function buildOrder(step: Join): readonly ['left' | 'right', 'left' | 'right'] {
  return step.kind === 'StreamTableJoin' ? ['right', 'left'] : ['left', 'right'];
}

/** How many numbers one side of a join draws, its source's included. */
export function drawnBySide(side: JoinSideStep): number {
  const { source } = side;
  switch (source.kind) {
    case 'StreamSource':
      return STREAM_SOURCE + (side.repartition ? STREAM_REPARTITION : 0);
    case 'TableSource':
      return TABLE_SOURCE + (side.repartition ? TABLE_REPARTITION : 0);
    default:
      return drawnByJoin(source) + (side.repartition ? STREAM_REPARTITION : 0);
  }
}

/** How many numbers a stream join (with its sides) draws. Table joins never feed a stream-stream join. */
export function drawnByJoin(step: Join): number {
  const sides = drawnBySide(step.left) + drawnBySide(step.right);
  if (step.kind === 'StreamStreamJoin') return sides + STREAM_STREAM_JOIN;
  if (step.kind === 'StreamTableJoin') return sides + STREAM_TABLE_JOIN;
  throw new KsqlError('SERVER_ERROR', `no Kafka Streams node numbers are counted for a ${step.kind} under a stream join`);
}

/** The number of a stream-stream join's "this" node, given how many numbers were drawn before the join's sides. */
export function joinThisNumber(step: Join, before: number): number {
  return before + drawnBySide(step.left) + drawnBySide(step.right) + WINDOWED_NODES;
}

/** A node number as Kafka Streams prints it: ten digits. */
export function nodeNumber(n: number): string {
  return String(n).padStart(10, '0');
}

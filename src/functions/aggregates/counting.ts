/** COUNT and COUNT_DISTINCT. */
import { defineAggregate, type Aggregator } from '../aggregate-function.js';
import { emptySketch, estimateCardinality, mergeSketches, offer } from './hyperloglog.js';

/** Counts rows (no argument) or rows whose argument is not NULL. */
const counter: Aggregator<bigint> = {
  initialize: () => 0n,
  add: (acc, args) => (args.length === 0 || args[0] !== null ? acc + 1n : acc),
  undo: (acc, args) => (args.length === 0 || args[0] !== null ? acc - 1n : acc),
  merge: (a, b) => a + b,
  result: (acc) => acc,
};

const distinctCounter: Aggregator<number[]> = {
  initialize: emptySketch,
  add: (acc, [v]) => (v === null ? acc : offer(acc, v)),
  merge: mergeSketches,
  result: estimateCardinality,
};

export const COUNT = defineAggregate({
  name: 'COUNT',
  description: 'Counts records (COUNT(*)), or the records whose argument is not NULL.',
  variants: [
    { params: '', returns: 'BIGINT', table: true, create: () => counter, description: 'Counts records.' },
    { params: 'T col', returns: 'BIGINT', table: true, create: () => counter, description: 'Counts records with a non-NULL value.' },
  ],
});

export const COUNT_DISTINCT = defineAggregate({
  name: 'COUNT_DISTINCT',
  description: 'The approximate number of distinct non-NULL values (HyperLogLog; standard error below 1%).',
  variants: [{ params: 'T col', returns: 'BIGINT', intermediate: 'ARRAY<INTEGER>', create: () => distinctCounter }],
});

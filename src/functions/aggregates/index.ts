/** Every built-in aggregate function, for the registry. */
import type { AggregateFunction } from '../aggregate-function.js';
import { ARGMAX, ARGMIN } from './arg-extremes.js';
import { EARLIEST_BY_OFFSET, LATEST_BY_OFFSET } from './by-offset.js';
import { ATTR, COLLECT_LIST, COLLECT_MAP, COLLECT_SET, HISTOGRAM } from './collections.js';
import { COUNT, COUNT_DISTINCT } from './counting.js';
import { MAX, MIN, TOPK, TOPKDISTINCT } from './ordering.js';
import { CORRELATION, STDDEV_SAMP, STDDEV_SAMPLE } from './statistics.js';
import { AVG, SUM, SUM_LIST } from './sums.js';

export const AGGREGATE_FUNCTIONS: readonly AggregateFunction[] = [
  COUNT,
  COUNT_DISTINCT,
  SUM,
  SUM_LIST,
  AVG,
  MIN,
  MAX,
  ARGMAX,
  ARGMIN,
  TOPK,
  TOPKDISTINCT,
  COLLECT_LIST,
  COLLECT_SET,
  COLLECT_MAP,
  HISTOGRAM,
  ATTR,
  EARLIEST_BY_OFFSET,
  LATEST_BY_OFFSET,
  STDDEV_SAMP,
  STDDEV_SAMPLE,
  CORRELATION,
];

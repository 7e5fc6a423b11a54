/**
 * Which CREATE TABLE AS tables are served from their aggregate's store, as
 * ksqlDB serves them (KsqlMaterialization): a table whose sink follows an
 * aggregation through a HAVING filter and a projection only, keeping the
 * aggregate's key columns in place, has one store, the aggregate's; a pull
 * query reads it and applies those steps to what it reads. Any other table
 * (EMIT FINAL, whose table holds closed windows only; a windowed source
 * aggregated by its key, whose store key holds the window; a projection that
 * moves key columns; no aggregation) keeps a materialization of the sink's rows.
 */
import type { Aggregate, ExecutionStep } from './steps.js';

/** The aggregate a table sink's pulls can read through the steps above it, or undefined. */
export function aggregateServingPulls(sinkSource: ExecutionStep, sinkWindowed: boolean): Aggregate | undefined {
  let step = sinkSource;
  const keyCounts: number[] = [];
  for (;;) {
    if (step.kind === 'TableFilter') {
      step = step.source;
    } else if (step.kind === 'TableSelect') {
      const indices = step.keyIndices;
      if (indices !== undefined && indices.some((k, i) => k !== i)) return undefined;
      if (indices !== undefined) keyCounts.push(indices.length);
      step = step.source;
    } else {
      break;
    }
  }
  if (step.kind !== 'StreamAggregate' && step.kind !== 'StreamWindowedAggregate' && step.kind !== 'TableAggregate') return undefined;
  const aggregate = step;
  if (aggregate.emitFinal || (aggregate.window !== undefined) !== sinkWindowed) return undefined;
  if (keyCounts.some((n) => n !== aggregate.schema.key.length)) return undefined;
  return aggregate;
}

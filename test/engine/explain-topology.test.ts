/** EXPLAIN's `topology`: the planner's graph, with the internal topics' partition counts read from the log. */
import test from 'ava';
import type { QueryDescriptionEntity } from '../../src/engine/explain-query.js';
import { withTempEngine } from '../helpers/temp-engine.js';

test('EXPLAIN shows the sub-topologies of a query and its internal topics with their partitions', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute("CREATE STREAM S (ID INT KEY, B STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=3, VALUE_FORMAT='JSON');"
      + ' CREATE TABLE COUNTS AS SELECT B, COUNT(*) AS C FROM S GROUP BY B;');
    const { topology } = (engine.execute('EXPLAIN CTAS_COUNTS_0;')[0] as QueryDescriptionEntity).queryDescription;
    const repartition = '_confluent-ksql-default_query_CTAS_COUNTS_0-Aggregate-GroupBy-repartition';
    t.regex(topology, /^Topologies:\n {3}Sub-topology: 0\n {4}Source: KSTREAM-SOURCE-0000000000 \(topics: \[s\]\)\n/);
    t.true(topology.includes(`    Sink: KSTREAM-SINK-0000000000 (topic: ${repartition})\n`), topology);
    t.true(topology.includes(`   Sub-topology: 1\n    Source: KSTREAM-SOURCE-0000000001 (topics: [${repartition}])\n`), topology);
    t.true(topology.includes('    Sink: KSTREAM-SINK-0000000001 (topic: COUNTS)\n'), topology);
    t.true(topology.includes(`Internal topics:\n   ${repartition} (repartition, 3 partitions, cleanup.policy=delete, retention.ms=-1)\n`), topology);
  });
});

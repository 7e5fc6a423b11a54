/**
 * Where a pull query's rows live when a persistent query materializes its
 * table: the partitions of the table's store are those of the topic its
 * sink's sub-topology reads (a source topic, or a repartition topic), and a
 * key lives in the partition Kafka's default partitioner gives its bytes in
 * the table's key format, as Kafka Streams locates a key for ksqlDB. Only a
 * server that routes pull queries to other servers asks (see
 * src/server/pull-router.ts); a server alone reads every partition it has.
 */
import { partitionForKey } from '../broker/index.js';
import type { DataSource } from '../catalog/data-source.js';
import { createSerde } from '../formats/index.js';
import type { EnginePorts } from './engine-ports.js';
import { querySubTopologies } from './query-sub-topologies.js';

/** How many partitions the store of the table that query `queryId` writes has; undefined when the query is not running here. */
export function materializedPartitionCount(ports: Pick<EnginePorts, 'runner' | 'log'>, queryId: string): number | undefined {
  const subTopologies = querySubTopologies(ports, queryId);
  const topic = subTopologies?.materialized === undefined ? undefined : subTopologies.sourceTopics[subTopologies.materialized]![0];
  if (topic === undefined || !ports.log.topics.hasTopic(topic)) return undefined;
  return ports.log.topics.describeTopic(topic).partitions.length;
}

/**
 * The partitions that hold `keys` of `source` among `count`; undefined when
 * a key cannot be serialized here (then every partition must be asked).
 */
export function partitionsOfKeys(ports: Pick<EnginePorts, 'catalog'>, source: DataSource, keys: readonly (readonly unknown[])[], count: number): number[] | undefined {
  if (count === 1) return [0];
  const { keyFormat, schema } = source;
  const partitions = new Set<number>();
  try {
    const serde = createSerde({
      format: keyFormat.format, target: 'key', columns: schema.key, properties: keyFormat.properties, features: keyFormat.features,
      topic: source.topic, ...(ports.catalog.schemaRegistry === undefined ? {} : { registry: ports.catalog.schemaRegistry }),
    });
    for (const key of keys) {
      const bytes = serde.serialize(key);
      if (bytes === null) return undefined;
      partitions.add(partitionForKey(bytes, count));
    }
  } catch {
    return undefined;
  }
  return [...partitions].sort((a, b) => a - b);
}

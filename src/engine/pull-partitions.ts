/**
 * Where a pull query's rows live when a persistent query materializes its
 * table: the partitions of the table's store are those of the topic its
 * sink's sub-topology reads (a source topic, or a repartition topic), and a
 * key lives in the partition Kafka's default partitioner gives its bytes in
 * the table's key format, as Kafka Streams locates a key for ksqlDB
 * (KsLocator). A server that routes pull queries to other servers asks which
 * partitions to read (see src/server/pull-router.ts); a key lookup reads its
 * key's partition first (pull-query.ts).
 */
import { partitionForKey } from '../broker/index.js';
import type { DataSource } from '../catalog/data-source.js';
import { createSerde, type Serde } from '../formats/index.js';
import type { EnginePorts } from './engine-ports.js';
import { querySubTopologies } from './query-sub-topologies.js';

/** How many partitions the store of the table that query `queryId` writes has; undefined when the query is not running here. */
export function materializedPartitionCount(ports: Pick<EnginePorts, 'runner' | 'log'>, queryId: string): number | undefined {
  const subTopologies = querySubTopologies(ports, queryId);
  const topic = subTopologies?.materialized === undefined ? undefined : subTopologies.sourceTopics[subTopologies.materialized]![0];
  if (topic === undefined || !ports.log.topics.hasTopic(topic)) return undefined;
  return ports.log.topics.describeTopic(topic).partitions.length;
}

/** Locates the keys of a table that a persistent query materializes. */
export interface KeyLocator {
  /** How many partitions the table's store has; undefined when its query is not running here. */
  partitionCount(): number | undefined;
  /** The partition of `key`; undefined when it cannot be serialized here or the count is unknown. */
  partitionOf(key: readonly unknown[]): number | undefined;
}

/**
 * The locator of `source`'s keys. Its key serde is made once, and the
 * partition count is remembered once known: a table's partitions do not
 * change while its query runs, and a locator lives no longer than the
 * metastore version it was made under (pull-query-cache.ts). A wrong count
 * would only make lookups read their key's partition in vain first.
 */
export function keyLocator(ports: Pick<EnginePorts, 'catalog' | 'runner' | 'log'>, source: DataSource): KeyLocator {
  let count: number | undefined;
  let serde: Serde | null | undefined;
  const serdeOf = (): Serde | null => {
    if (serde !== undefined) return serde;
    const { keyFormat, schema } = source;
    try {
      serde = createSerde({
        format: keyFormat.format, target: 'key', columns: schema.key, properties: keyFormat.properties, features: keyFormat.features,
        topic: source.topic, ...(ports.catalog.schemaRegistry === undefined ? {} : { registry: ports.catalog.schemaRegistry }),
      });
    } catch {
      serde = null;
    }
    return serde;
  };
  const partitionCount = (): number | undefined => {
    if (count === undefined && source.writerQueryId !== undefined) count = materializedPartitionCount(ports, source.writerQueryId);
    return count;
  };
  return {
    partitionCount,
    partitionOf(key) {
      const n = partitionCount();
      if (n === undefined) return undefined;
      if (n === 1) return 0;
      const keySerde = serdeOf();
      if (keySerde === null) return undefined;
      try {
        const bytes = keySerde.serialize(key);
        return bytes === null ? undefined : partitionForKey(bytes, n);
      } catch {
        return undefined;
      }
    },
  };
}

/** The partitions that hold `keys`; undefined when one cannot be located (then every partition must be asked). */
export function partitionsOfKeys(locator: KeyLocator, keys: readonly (readonly unknown[])[]): number[] | undefined {
  const partitions = new Set<number>();
  for (const key of keys) {
    const partition = locator.partitionOf(key);
    if (partition === undefined) return undefined;
    partitions.add(partition);
  }
  return [...partitions].sort((a, b) => a - b);
}

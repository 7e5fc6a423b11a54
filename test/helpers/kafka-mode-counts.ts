/**
 * Test helper: the order counts the Kafka-mode server tests run on their
 * servers (a table counting the orders of each CUSTOMER of the stream ORDERS),
 * and the check that the counts committed on the cluster equal a recomputation.
 */
import type { ExecutionContext } from 'ava';
import { ksqlOrThrow, readCommitted, type KafkaModeCluster } from './kafka-mode.js';
import type { ServerProcess } from './server-process.js';

/** The stream ORDERS over `input` (of `partitions` partitions, 4 unless given), counted by CUSTOMER into the table `table` (COUNTS unless given), on the topic `countsTopic` when given. */
export interface OrderCounts {
  readonly input: string;
  readonly partitions?: number;
  readonly table?: string;
  readonly countsTopic?: string;
}

/**
 * Two servers of one service id sharing the query that counts `counts`'
 * orders (CTAS_<table>_0). The second starts once the query runs on the
 * first; when anything on the way fails, the first is stopped.
 */
export async function startServersCounting(
  cluster: KafkaModeCluster,
  names: readonly [string, string],
  properties: Readonly<Record<string, string>>,
  counts: OrderCounts,
): Promise<[ServerProcess, ServerProcess]> {
  const first = await cluster.startServer(names[0], properties);
  try {
    await ksqlOrThrow(first, `CREATE STREAM ORDERS (CUSTOMER STRING KEY, ID INT) WITH (KAFKA_TOPIC='${counts.input}', PARTITIONS=${counts.partitions ?? 4}, VALUE_FORMAT='JSON');`);
    const topic = counts.countsTopic === undefined ? '' : ` WITH (KAFKA_TOPIC='${counts.countsTopic}')`;
    await ksqlOrThrow(first, `CREATE TABLE ${counts.table ?? 'COUNTS'}${topic} AS SELECT CUSTOMER, COUNT(*) AS N FROM ORDERS GROUP BY CUSTOMER;`);
    return [first, await cluster.startServer(names[1], properties)];
  } catch (error) {
    await first.stop('SIGTERM');
    throw error;
  }
}

/** Inserts orders into ORDERS so that customer c<i> has i + 1; the counts expected. */
export async function insertOrders(server: ServerProcess, customers: number): Promise<Map<string, number>> {
  const expected = new Map<string, number>();
  let id = 0;
  for (let i = 0; i < customers; i++) {
    for (let k = 0; k <= i; k++) await ksqlOrThrow(server, `INSERT INTO ORDERS (CUSTOMER, ID) VALUES ('c${i}', ${id++});`);
    expected.set(`c${i}`, i + 1);
  }
  return expected;
}

/**
 * Reads the committed counts of `topic` (values {"N": n}, keyed by customer)
 * until each customer's latest is its count in `expected`, then checks that
 * it is, and that each customer's counts only grow: none lost or counted twice.
 */
export async function checkCounts(t: ExecutionContext, bootstrap: string, topic: string, expected: ReadonlyMap<string, number>): Promise<void> {
  const latest = new Map<string, number>();
  const counts = await readCommitted(bootstrap, topic, (records) => {
    for (const [customer, value] of records) latest.set(customer, (JSON.parse(value!) as { N: number }).N);
    return [...expected].every(([customer, n]) => latest.get(customer) === n);
  });
  const seen = new Map<string, number[]>();
  for (const [customer, value] of counts) seen.set(customer, [...(seen.get(customer) ?? []), (JSON.parse(value!) as { N: number }).N]);
  for (const [customer, n] of expected) {
    const updates = seen.get(customer) ?? [];
    t.is(updates.at(-1), n, `the count of ${customer} equals a recomputation`);
    t.true(updates.every((value, i) => i === 0 || value > updates[i - 1]!), `the counts of ${customer} only grow (none lost or counted twice): ${updates.join(',')}`);
  }
}

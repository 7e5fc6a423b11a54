/**
 * Three ksqlite servers of one service id on a Kafka cluster (ksqlite's own
 * listener in a separate process, or the Kafka of KSQLITE_TEST_KAFKA) share
 * three persistent queries through their groups: a filter and projection
 * (CSAS), a TUMBLING count and sum by key, and a stream-table join. Under
 * sustained inserts one server is killed with SIGKILL and a fourth started;
 * once the inserts stop and the queries drain, read_committed consumers of
 * the sinks must see every acknowledged input, nothing twice, and exactly
 * what a recomputation from the committed source topic gives. Pull scans of
 * the windowed table on every server, during the inserts and after the
 * drain, gather every partition wherever it runs and agree with it.
 */
import test from 'ava';
import { activePartitions, eventually, ksql, ksqlOrThrow, pull, queryStates, readCommitted, uniqueServiceId, useKafkaModeCluster } from '../helpers/kafka-mode.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { uniqueName } from '../broker/kafka/kafka-target.js';

const cluster = useKafkaModeCluster(test, 'ksqlite-kafka-cluster-kill-');

const PARTITIONS = 4;
const CUSTOMERS = Array.from({ length: 16 }, (_, i) => `c${i}`);
/** The customers the CUSTOMERS table holds a row for; orders of the others join with no row. */
const TIERS = new Map(CUSTOMERS.slice(0, 12).map((customer, i) => [customer, i % 3 === 0 ? 'gold' : 'silver']));
/** Windows long enough that the one open at the kill holds a good part of the input, so the moved tasks must restore it. */
const WINDOW_MS = 4000;
/** Event time advances 25 ms per order, so each window holds about 160 orders over the 16 customers. */
const ORDER_SPACING_MS = 25;

interface Order {
  readonly customer: string;
  readonly id: number;
  readonly amount: number;
  readonly ts: number;
}

/** What the three queries must have output once they drained `orders`, recomputed from the orders alone. */
interface Expected {
  /** Ids of the orders the CSAS keeps, ascending. */
  readonly bigIds: number[];
  /** Count and sum per `<customer>@<window start>`. */
  readonly windows: Map<string, { N: number; TOTAL: number }>;
  /** The joined tier (null: no customer row) per order id. */
  readonly joined: Map<number, string | null>;
}

function recompute(orders: readonly Order[]): Expected {
  const windows = new Map<string, { N: number; TOTAL: number }>();
  for (const order of orders) {
    const key = `${order.customer}@${Math.floor(order.ts / WINDOW_MS) * WINDOW_MS}`;
    const sums = windows.get(key) ?? { N: 0, TOTAL: 0 };
    windows.set(key, { N: sums.N + 1, TOTAL: sums.TOTAL + order.amount });
  }
  return {
    bigIds: orders.filter((o) => o.amount >= 50).map((o) => o.id).sort((a, b) => a - b),
    windows,
    joined: new Map(orders.map((o) => [o.id, TIERS.get(o.customer) ?? null])),
  };
}

/** A windowed sink's key: the key's text, then the window start as an 8-byte big-endian long. */
function windowedKey(key: Buffer | null): string {
  if (key === null || key.length < 8) return `unreadable:${String(key)}`;
  return `${key.subarray(0, key.length - 8).toString('utf8')}@${key.readBigInt64BE(key.length - 8)}`;
}

const ascending = (a: number, b: number): number => a - b;

const WINDOW_SCAN = 'SELECT CUSTOMER, WINDOWSTART, N, TOTAL FROM WINDOWED_TOTALS;';

/** A pull scan of WINDOWED_TOTALS on `server`, as count and sum per `<customer>@<window start>`; undefined while it is refused. */
async function pulledWindows(server: ServerProcess): Promise<Map<string, { N: number; TOTAL: number }> | undefined> {
  const rows = await pull(server, WINDOW_SCAN);
  if (rows === undefined) return undefined;
  return new Map(rows.map((row) => {
    const [customer, start, n, total] = row as [string, number, number, number];
    return [`${customer}@${start}`, { N: n, TOTAL: total }];
  }));
}

test.serial('three servers share a CSAS, a windowed aggregation and a stream-table join; after one is killed and a fourth added, nothing acknowledged is lost, nothing is output twice, and every output and the pull answers of every server equal a recomputation', async (t) => {
  // Four server starts, two group settlements and a session timeout: on a loaded machine this passes AVA's usual two minutes.
  t.timeout(240_000);
  const topics = {
    orders: uniqueName('cluster-orders'),
    customers: uniqueName('cluster-customers'),
    big: uniqueName('cluster-big-orders'),
    windowed: uniqueName('cluster-windowed-totals'),
    enriched: uniqueName('cluster-enriched'),
  };
  // A short session, so the group drops the killed server within seconds.
  const properties = { 'ksql.service.id': uniqueServiceId('cluster3'), 'ksql.streams.session.timeout.ms': '6000', 'ksql.streams.heartbeat.interval.ms': '500' };
  const servers: ServerProcess[] = [];
  const start = async (name: string): Promise<ServerProcess> => {
    const server = await cluster.startServer(name, properties);
    servers.push(server);
    return server;
  };
  let live: ServerProcess[] = [];
  let insertingOn = true;
  let inserting: Promise<void> = Promise.resolve();
  try {
    // All three run before the queries exist, so each server starts each query (and makes its topics) at once.
    live = await Promise.all([start('first'), start('second'), start('third')]);
    const first = live[0]!;
    await ksqlOrThrow(first, `CREATE STREAM ORDERS (CUSTOMER STRING KEY, ID INT, AMOUNT INT, TS BIGINT) WITH (KAFKA_TOPIC='${topics.orders}', PARTITIONS=${PARTITIONS}, VALUE_FORMAT='JSON', TIMESTAMP='TS');`);
    await ksqlOrThrow(first, `CREATE TABLE CUSTOMERS (CUSTOMER STRING PRIMARY KEY, TIER STRING) WITH (KAFKA_TOPIC='${topics.customers}', PARTITIONS=${PARTITIONS}, VALUE_FORMAT='JSON');`);
    for (const [customer, tier] of TIERS) await ksqlOrThrow(first, `INSERT INTO CUSTOMERS (CUSTOMER, TIER) VALUES ('${customer}', '${tier}');`);
    await ksqlOrThrow(first, `CREATE STREAM BIG_ORDERS WITH (KAFKA_TOPIC='${topics.big}') AS SELECT CUSTOMER, ID, AMOUNT FROM ORDERS WHERE AMOUNT >= 50;`);
    await ksqlOrThrow(first, `CREATE TABLE WINDOWED_TOTALS WITH (KAFKA_TOPIC='${topics.windowed}') AS SELECT CUSTOMER, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM ORDERS WINDOW TUMBLING (SIZE ${WINDOW_MS / 1000} SECONDS) GROUP BY CUSTOMER;`);
    await ksqlOrThrow(first, `CREATE STREAM ENRICHED WITH (KAFKA_TOPIC='${topics.enriched}') AS SELECT O.CUSTOMER AS CUSTOMER, O.ID AS ID, C.TIER AS TIER FROM ORDERS O LEFT JOIN CUSTOMERS C ON O.CUSTOMER = C.CUSTOMER;`);
    const queryIds = (await ksqlOrThrow(first, 'SHOW QUERIES;'))[0].queries.map((q: { id: string }) => q.id).sort() as string[];
    t.is(queryIds.length, 3);

    // Inserts from two clients, each to the live servers in turn; acknowledged ids are recorded.
    const acknowledged = new Set<number>();
    const base = Date.now();
    let nextId = 0;
    const insertLoop = async (client: number): Promise<void> => {
      for (let turn = client; insertingOn; turn++) {
        const id = nextId++;
        const on = live[turn % live.length]!;
        const order = { customer: CUSTOMERS[(id * 7) % CUSTOMERS.length]!, amount: (id * 37) % 100, ts: base + id * ORDER_SPACING_MS };
        try {
          const answer = await ksql(on, `INSERT INTO ORDERS (CUSTOMER, ID, AMOUNT, TS) VALUES ('${order.customer}', ${id}, ${order.amount}, ${order.ts});`);
          if (answer.status === 200) acknowledged.add(id);
        } catch {
          // The server was killed under the request: not acknowledged.
        }
      }
    };
    inserting = Promise.all([insertLoop(0), insertLoop(1)]).then(() => undefined);
    const waitForInserts = async (count: number): Promise<void> => {
      const until = acknowledged.size + count;
      while (acknowledged.size < until) await new Promise((r) => setTimeout(r, 50));
    };
    /** Each query's tasks spread over `servers`, every partition on exactly one of them. */
    const spreadOver = (over: readonly ServerProcess[]) => eventually(async () => {
      for (const queryId of queryIds) {
        const owned = await Promise.all(over.map((server) => activePartitions(server, queryId, topics.orders)));
        if (owned.some((partitions) => partitions.length === 0)) return undefined;
        if (owned.flat().sort(ascending).join() !== Array.from({ length: PARTITIONS }, (_, p) => p).join()) return undefined;
      }
      return true;
    });

    t.true(await spreadOver(live), 'every server runs some tasks of every query');
    // Pulls while the inserts go on: every server answers for every partition (forwarding what others run).
    const midway: Map<string, { N: number; TOTAL: number }>[] = [];
    const pullFromEach = async (): Promise<void> => {
      for (const server of live) {
        const answer = await eventually(() => pulledWindows(server));
        t.truthy(answer, `${server.url} answers a pull scan while inserts go on`);
        if (answer !== undefined) midway.push(answer);
      }
    };
    await waitForInserts(30);
    await pullFromEach();
    await waitForInserts(30);
    const killed = live[2]!;
    await killed.stop('SIGKILL');
    live = live.filter((server) => server !== killed);
    const fourth = await start('fourth');
    live = [...live, fourth];
    t.true(await spreadOver(live), 'after the kill the tasks spread over the two survivors and the new server');
    await pullFromEach();
    await waitForInserts(60);
    insertingOn = false;
    await inserting;
    for (const server of live) t.deepEqual(Object.values(await queryStates(server)).flat(), ['RUNNING', 'RUNNING', 'RUNNING'], 'no query went to ERROR');

    // The source topic as committed on the cluster is the truth the outputs must match.
    const input = await readCommitted(cluster.bootstrap, topics.orders, (records) => records.length >= acknowledged.size);
    const orders = input.map(([customer, value]) => {
      const row = JSON.parse(value!) as { ID: number; AMOUNT: number; TS: number };
      return { customer, id: row.ID, amount: row.AMOUNT, ts: row.TS };
    });
    const inputIds = orders.map((o) => o.id);
    t.is(new Set(inputIds).size, inputIds.length, 'no input was written twice');
    t.deepEqual([...acknowledged].filter((id) => !inputIds.includes(id)), [], 'every acknowledged input is on the source topic');
    const expected = recompute(orders);

    // The three sinks, read at once.
    const latest = new Map<string, { N: number; TOTAL: number }>();
    const [big, enriched, updates] = await Promise.all([
      readCommitted(cluster.bootstrap, topics.big, (records) => records.length >= expected.bigIds.length),
      readCommitted(cluster.bootstrap, topics.enriched, (records) => records.length >= expected.joined.size),
      readCommitted(cluster.bootstrap, topics.windowed, (records) => {
        for (const [key, value] of records) latest.set(key, JSON.parse(value!) as { N: number; TOTAL: number });
        return [...expected.windows].every(([key, sums]) => latest.get(key)?.N === sums.N);
      }, { decodeKey: windowedKey }),
    ]);

    t.deepEqual(big.map(([, value]) => (JSON.parse(value!) as { ID: number }).ID).sort(ascending), expected.bigIds, 'the CSAS output each kept input once');

    const joinedIds = enriched.map(([, value]) => (JSON.parse(value!) as { ID: number }).ID);
    t.deepEqual([...joinedIds].sort(ascending), [...expected.joined.keys()].sort(ascending), 'the join output each input once');
    const wrongTiers = enriched
      .map(([customer, value]) => ({ customer, ...(JSON.parse(value!) as { ID: number; TIER: string | null }) }))
      .filter((row) => row.TIER !== expected.joined.get(row.ID));
    t.deepEqual(wrongTiers, [], 'every joined order has its customer\'s tier');

    const seen = new Map<string, { N: number; TOTAL: number }[]>();
    for (const [key, value] of updates) seen.set(key, [...(seen.get(key) ?? []), JSON.parse(value!) as { N: number; TOTAL: number }]);
    t.deepEqual([...seen.keys()].sort(), [...expected.windows.keys()].sort(), 'the aggregation output exactly the windows of the input');
    for (const [key, sums] of expected.windows) {
      const history = seen.get(key) ?? [];
      t.deepEqual(history.at(-1), sums, `the count and sum of ${key} equal a recomputation`);
      t.true(history.every((u, i) => i === 0 || u.N > history[i - 1]!.N), `the counts of ${key} only grow (none lost or counted twice): ${history.map((u) => u.N).join(',')}`);
    }

    // Pulls answered midway saw counts the final ones reached, never more; after the drain every server answers them exactly.
    const beyond = midway.flatMap((answer) => [...answer].filter(([key, sums]) => (expected.windows.get(key)?.N ?? 0) < sums.N).map(([key]) => key));
    t.deepEqual(beyond, [], 'no pull answered midway counted more than the input holds');
    for (const server of live) {
      const sorted = (windows: Map<string, { N: number; TOTAL: number }> | undefined) => [...(windows ?? [])].sort(([a], [b]) => (a < b ? -1 : 1));
      t.deepEqual(sorted(await pulledWindows(server)), sorted(expected.windows), `a pull scan on ${server.url} equals the recomputation`);
      const customer = CUSTOMERS[live.indexOf(server)]!;
      const byKey = await pull(server, `SELECT WINDOWSTART, N FROM WINDOWED_TOTALS WHERE CUSTOMER = '${customer}';`);
      const keyExpected = [...expected.windows].filter(([key]) => key.startsWith(`${customer}@`)).map(([key, sums]) => [Number(key.split('@')[1]), sums.N]);
      t.deepEqual(byKey?.sort((a, b) => (a[0] as number) - (b[0] as number)), keyExpected.sort((a, b) => a[0]! - b[0]!), `a pull by key on ${server.url} equals the recomputation`);
    }
  } finally {
    insertingOn = false;
    await inserting;
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  }
});

/**
 * Pull queries and /clusterStatus across the servers of one service id on a
 * Kafka cluster (the cluster is ksqlite's own Kafka listener in a separate
 * process, the servers two more). The group of a CTAS spreads its four tasks
 * over both servers, so each holds only some keys' counts: a pull query by
 * key on either server is answered by the server running the key's
 * partition, a scan gathers every partition from its owners, and each
 * server's /clusterStatus names both, alive, with what each runs and the lags
 * of its stores read from the cluster. After one server is killed, the
 * survivor takes its tasks and answers every key itself.
 */
import test from 'ava';
import { clusterStatus, hostKey, LAG_REPORTING, query, settles, uniqueServiceId, useKafkaModeCluster } from '../helpers/kafka-mode.js';
import { insertOrders, startServersCounting } from '../helpers/kafka-mode-counts.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { uniqueName } from '../broker/kafka/kafka-target.js';

const cluster = useKafkaModeCluster(test, 'ksqlite-kafka-cluster-pull-');

/** What is wrong with `server`'s answers for every key (by key and in a scan), or undefined when each is right. */
async function wrongAnswers(server: ServerProcess, expected: ReadonlyMap<string, number>): Promise<string | undefined> {
  const wrong: string[] = [];
  for (const [customer, n] of expected) {
    const answer = await query(server, `SELECT CUSTOMER, N FROM COUNTS WHERE CUSTOMER = '${customer}';`);
    if ('error' in answer) wrong.push(`${customer}: ${answer.error}`);
    else if (JSON.stringify(answer.rows) !== JSON.stringify([[customer, n]])) wrong.push(`${customer}: ${JSON.stringify(answer.rows)}`);
  }
  const scan = await query(server, 'SELECT CUSTOMER, N FROM COUNTS;');
  if ('error' in scan) {
    wrong.push(`scan: ${scan.error}`);
  } else {
    const sorted = scan.rows.map(([c, n]) => `${String(c)}=${String(n)}`).sort();
    const want = [...expected].map(([c, n]) => `${c}=${n}`).sort();
    if (JSON.stringify(sorted) !== JSON.stringify(want)) wrong.push(`scan: ${sorted.join(',')}`);
  }
  return wrong.length === 0 ? undefined : wrong.join('; ');
}

test('servers sharing a query\'s tasks answer pull queries by key and scans for every key from each of them, list each other in /clusterStatus, and the survivor of a kill answers alone', async (t) => {
  const serviceId = uniqueServiceId('pullspread');
  const input = uniqueName('pull-orders');
  const properties = {
    'ksql.service.id': serviceId,
    // A short session, so the survivor takes the killed server's tasks within seconds.
    'ksql.streams.session.timeout.ms': '6000',
    'ksql.streams.heartbeat.interval.ms': '500',
    ...LAG_REPORTING,
  };
  const servers = await startServersCounting(cluster, ['first', 'second'], properties, { input });
  const [first] = servers;
  let second: ServerProcess | undefined = servers[1];
  try {
    const queryId = 'CTAS_COUNTS_0';

    // Customer c<i> ordered i + 1 times, spread over the four partitions.
    const expected = await insertOrders(first, 12);
    const inserted = [...expected.values()].reduce((total, n) => total + n, 0);

    // Both servers run some of the four tasks, each task on one, and say so alike.
    const split = await settles(async () => {
      for (const server of servers) {
        const status = await clusterStatus(server);
        const keys = Object.keys(status).sort();
        if (JSON.stringify(keys) !== JSON.stringify(servers.map(hostKey).sort())) return `${hostKey(server)} lists ${keys.join(', ')}`;
        const partitions = servers.map((s) => (status[hostKey(s)]!.activeStandbyPerQuery[queryId]?.activePartitions ?? [])
          .filter((p) => p.topic === input).map((p) => p.partition));
        if (partitions.some((p) => p.length === 0) || JSON.stringify(partitions.flat().sort()) !== '[0,1,2,3]') {
          return `${hostKey(server)} sees partitions ${JSON.stringify(partitions)}`;
        }
        if (servers.some((s) => !status[hostKey(s)]!.hostAlive)) return `${hostKey(server)} sees a server dead`;
      }
      return undefined;
    });
    t.is(split, undefined, 'each server lists both, alive, with the four tasks split between them');

    for (const server of servers) t.is(await settles(() => wrongAnswers(server, expected)), undefined, `${hostKey(server)} answers every key`);

    // Each server's lags come from the cluster: its stores have read all of their partitions' input.
    const lags = await settles(async () => {
      const status = await clusterStatus(first);
      let end = 0;
      for (const server of servers) {
        const stores = Object.entries(status[hostKey(server)]!.hostStoreLags.stateStoreLags).filter(([name]) => name.includes(queryId));
        if (stores.length === 0) return `no store lags of ${hostKey(server)}`;
        const [, materialized] = stores.find(([name]) => name.endsWith('#Sink-Materialize')) ?? stores[0]!;
        for (const lag of Object.values(materialized.lagByPartition)) {
          if (lag.offsetLag !== 0) return `${hostKey(server)} lags: ${JSON.stringify(materialized)}`;
          end += lag.endOffsetPosition;
        }
      }
      return end === inserted ? undefined : `the store partitions' input ends add up to ${end}, not ${inserted}`;
    });
    t.is(lags, undefined, 'every store partition reports its input read to the end, on the server that runs it');

    await second.stop('SIGKILL');
    second = undefined;
    t.is(await settles(() => wrongAnswers(first, expected)), undefined, 'the survivor answers every key once it has taken the tasks');
    const status = await clusterStatus(first);
    t.deepEqual(status[hostKey(first)]!.activeStandbyPerQuery[queryId]!.activePartitions.filter((p) => p.topic === input).map((p) => p.partition).sort(), [0, 1, 2, 3]);
    t.is(await settles(async () => ((await clusterStatus(first))[hostKey(servers[1]!)]?.hostAlive === false ? undefined : 'alive')),
      undefined, 'the killed server shows dead');
  } finally {
    await second?.stop('SIGKILL');
    await first.stop('SIGTERM');
  }
});

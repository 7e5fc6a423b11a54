/** ksqlDB's liveness rule, on a clock the test sets: missed heartbeats in a row, counted in send intervals, against the threshold. */
import test from 'ava';
import type { ClusterClient } from '../../src/server/cluster-client.js';
import type { ClusterView, HostInfo } from '../../src/server/cluster-view.js';
import { HeartbeatAgent } from '../../src/server/heartbeat-agent.js';

const SELF: HostInfo = { host: 'self', port: 1 };
const OTHER: HostInfo = { host: 'other', port: 2 };

function agent(): { agent: HeartbeatAgent; sent: string[] } {
  const view: ClusterView = {
    self: SELF,
    otherHosts: () => [OTHER],
    owners: () => ({ active: SELF, standbys: [] }),
    activeStandbyPerQuery: () => ({}),
    localStoreLags: () => ({}),
  };
  const sent: string[] = [];
  const client: ClusterClient = {
    post: async (host, path) => void sent.push(`${host.host}${path}`),
    forwardPull: async () => [],
  };
  const a = new HeartbeatAgent(view, client, { sendIntervalMs: 100, checkIntervalMs: 200, windowMs: 1000, missedThreshold: 3, discoverIntervalMs: 1000 }, () => 0);
  return { agent: a, sent };
}

const aliveOf = (a: HeartbeatAgent, host: HostInfo): boolean | undefined => a.hostStatuses().find((s) => s.host.host === host.host)?.alive;

test('a discovered server is alive until checked; with no heartbeat in the window it is dead', (t) => {
  const { agent: a } = agent();
  a.start();
  a.stop();
  t.true(aliveOf(a, OTHER));
  t.true(aliveOf(a, SELF));
  a.check(5000);
  t.false(aliveOf(a, OTHER));
  t.true(a.isAlive(SELF));
});

test('heartbeats every send interval keep a server alive; three missed in a row mark it dead, and the next one brings it back', (t) => {
  const { agent: a } = agent();
  a.start();
  a.stop();
  for (let ts = 100; ts <= 1000; ts += 100) a.receive(OTHER, ts);
  a.check(1050);
  t.true(aliveOf(a, OTHER));
  // Two intervals missed by the window's end: still alive.
  a.check(1250);
  t.true(aliveOf(a, OTHER));
  // (1400 - 1000 - 1) / 100 = 3 missed in a row.
  a.check(1400);
  t.false(aliveOf(a, OTHER));
  t.is(a.hostStatuses().find((s) => s.host.host === 'other')!.lastStatusUpdateMs, 1400);
  a.receive(OTHER, 1450);
  a.check(1500);
  t.true(aliveOf(a, OTHER));
});

test('missed heartbeats that are not in a row do not mark a server dead', (t) => {
  const { agent: a } = agent();
  a.start();
  a.stop();
  // Every other heartbeat lost: one missed at a time.
  for (let ts = 200; ts <= 1000; ts += 200) a.receive(OTHER, ts);
  a.check(1100);
  t.true(aliveOf(a, OTHER));
});

test('heartbeats go to every known server but this one', async (t) => {
  const { agent: a, sent } = agent();
  a.start();
  await new Promise((resolve) => setTimeout(resolve, 250));
  a.stop();
  t.true(sent.length > 0);
  t.true(sent.every((s) => s === 'other/heartbeat'));
});

/**
 * Test helper run as its own process: one member of a query group, so a test
 * can kill it with SIGKILL (no LeaveGroup, no more heartbeats). Arguments:
 * bootstrap servers, then a JSON object with the group id, host, tasks and
 * settings. Prints each revocation and assignment it gets as a JSON line.
 */
import { KafkaClusterClient } from '../../../src/broker/kafka/kafka-cluster-client.js';

const [bootstrap, json] = process.argv.slice(2);
const { groupId, host, tasks, settings } = JSON.parse(json!) as {
  groupId: string;
  host: string;
  tasks: string[];
  settings: { sessionTimeoutMs: number; heartbeatIntervalMs: number; rebalanceTimeoutMs: number; standbyReplicas: number };
};
const client = await KafkaClusterClient.connect({ 'bootstrap.servers': bootstrap!, 'client.id': 'query-group-member-process' });
const membership = await client.joinQueryGroup({
  groupId,
  host,
  tasks,
  settings,
  onRevoke: (revoked) => {
    process.stdout.write(`${JSON.stringify({ revoked })}\n`);
  },
  onAssignment: (assignment) => {
    process.stdout.write(`${JSON.stringify({ memberId: membership.memberId, generation: assignment.generation, active: assignment.active })}\n`);
  },
  onError: (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
});

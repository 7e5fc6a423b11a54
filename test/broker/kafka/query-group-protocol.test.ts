/**
 * The query group's subscription and assignment bytes: what is written reads
 * back the same; anything else is refused as CORRUPT_DATA, never half-read.
 */
import test from 'ava';
import { isBrokerError } from '../../../src/broker/index.js';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../../../src/broker/kafka/query-group-protocol.js';

test('a subscription and an assignment read back as written', (t) => {
  const subscription = { host: 'http://a:8088', tasks: ['0_0', '0_1', '1_0'], ownedActive: ['0_1'], ownedStandby: ['1_0'], ownedGeneration: 4 };
  t.deepEqual(decodeSubscription('member-1', encodeSubscription(subscription)), { memberId: 'member-1', ...subscription });
  const hosts = new Map([['0_0', { active: 'http://a:8088', standbys: ['http://b:8088'] }], ['0_1', { active: null, standbys: [] }]]);
  const assignment = decodeAssignment(encodeAssignment({ generation: 7, active: ['0_0'], standby: [], hosts }));
  t.is(assignment.generation, 7);
  t.deepEqual(assignment.active, ['0_0']);
  t.deepEqual([...assignment.hosts], [...hosts]);
});

test('unreadable bytes, another version or a wrong field are CORRUPT_DATA', (t) => {
  const bad = [
    Buffer.from('not json'),
    Buffer.from('[]'),
    Buffer.from(JSON.stringify({ version: 2, host: 'h', tasks: [], ownedActive: [], ownedStandby: [], ownedGeneration: 1 })),
    Buffer.from(JSON.stringify({ version: 1, host: 'h', tasks: [0], ownedActive: [], ownedStandby: [], ownedGeneration: 1 })),
    Buffer.from(JSON.stringify({ version: 1, host: 'h', tasks: [], ownedActive: [], ownedStandby: [], ownedGeneration: 'x' })),
  ];
  for (const bytes of bad) {
    const error = t.throws(() => decodeSubscription('m', bytes));
    t.true(isBrokerError(error, 'CORRUPT_DATA'), String(error));
  }
  const badAssignments = [
    Buffer.from(JSON.stringify({ version: 1, generation: 1, active: [], standby: [], hosts: [['0_0', 5, []]] })),
    Buffer.from(JSON.stringify({ version: 1, generation: 1, active: [], standby: [], hosts: {} })),
    Buffer.from(JSON.stringify({ version: 1, active: [], standby: [], hosts: [] })),
  ];
  for (const bytes of badAssignments) {
    const error = t.throws(() => decodeAssignment(bytes));
    t.true(isBrokerError(error, 'CORRUPT_DATA'), String(error));
  }
});

import test from 'ava';
import { Scheduler, type SchedulableTask } from '../../src/runtime/scheduler.js';

/** A task that throws on every poll, counting polls and the failures it is told of. */
function brokenTask(): SchedulableTask & { polls: number; failures: unknown[] } {
  return {
    topic: 't',
    partition: 0,
    polls: 0,
    failures: [],
    poll() {
      this.polls++;
      throw new Error('broken');
    },
    fail(error: unknown) {
      this.failures.push(error);
    },
  };
}

test('a task whose poll throws is dropped at once and told why, instead of being retried every turn', (t) => {
  const seen: unknown[] = [];
  const scheduler = new Scheduler({ onError: (_task, error) => seen.push(error) });
  const task = brokenTask();
  scheduler.add(task);
  scheduler.runOnce();
  scheduler.runOnce();
  scheduler.runUntilIdle();
  t.is(task.polls, 1);
  t.is(task.failures.length, 1);
  t.is((task.failures[0] as Error).message, 'broken');
  t.deepEqual(seen, task.failures);
});

test('an onError that rethrows (the test driver) makes the failure the caller\'s', (t) => {
  const scheduler = new Scheduler({
    onError: (_task, error) => {
      throw error;
    },
  });
  const task = brokenTask();
  scheduler.add(task);
  t.throws(() => scheduler.runUntilIdle(), { message: 'broken' });
  t.is(task.failures.length, 1, 'the task was told first');
  t.notThrows(() => scheduler.runUntilIdle());
});

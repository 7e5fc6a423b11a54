import test from 'ava';
import { undoOnFailure } from '../../src/common/maybe-async.js';

test('undoOnFailure answers what run answers, at once when run does, and undoes nothing then', (t) => {
  let undone = 0;
  t.is(undoOnFailure(() => 1, () => void undone++), 1);
  t.is(undone, 0);
});

test('undoOnFailure undoes a failure thrown at once, and throws it at once', (t) => {
  let undone = 0;
  t.throws(() => undoOnFailure(() => {
    throw new Error('refused');
  }, () => void undone++), { message: 'refused' });
  t.is(undone, 1);
});

test('undoOnFailure undoes a rejection, waits for the undo, and rejects with the failure, not with the undo\'s own', async (t) => {
  const steps: string[] = [];
  const result = undoOnFailure(() => Promise.reject(new Error('fenced')), () => new Promise<void>((_, reject) => setImmediate(() => {
    steps.push('undone');
    reject(new Error('abort failed'));
  })));
  await t.throwsAsync(Promise.resolve(result), { message: 'fenced' });
  t.deepEqual(steps, ['undone']);
});

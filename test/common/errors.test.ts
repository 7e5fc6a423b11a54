import test from 'ava';
import { ERROR_SPECS, KsqlError, toKsqlError, type ErrorCode } from '../../src/common/errors.js';

test('every error code maps to an HTTP status times 100 plus n', (t) => {
  for (const [code, spec] of Object.entries(ERROR_SPECS)) {
    const status = Math.floor(spec.errorCode / 100);
    t.true(status >= 400 && status < 600, `${code} has error_code ${spec.errorCode}`);
    t.true(spec.summary.length > 10, `${code} has a summary`);
  }
});

test('a KsqlError carries its registry entry and position', (t) => {
  const e = new KsqlError('BAD_STATEMENT', 'no such column', { position: { line: 1, column: 8 } });
  t.is(e.errorCode, 40001);
  t.is(e.httpStatus, 400);
  t.is(e.domain, 'user');
  t.deepEqual(e.position, { line: 1, column: 8 });
  t.true(e instanceof Error);
});

test('toKsqlError keeps KsqlErrors and wraps anything else as a server error', (t) => {
  const original = new KsqlError('NOT_FOUND', 'gone');
  t.is(toKsqlError(original), original);
  const wrapped = toKsqlError(new TypeError('boom'));
  t.is(wrapped.code satisfies ErrorCode, 'SERVER_ERROR');
  t.is(wrapped.errorCode, 50000);
  t.is(wrapped.message, 'boom');
  t.is(toKsqlError('text').message, 'text');
});

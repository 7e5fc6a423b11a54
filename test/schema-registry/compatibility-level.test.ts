import test from 'ava';
import { compatibilityProblems, type CompatibilityLevel } from '../../src/schema-registry/compatibility-level.js';
import { parseSchema } from '../../src/schema-registry/parse-schema.js';
import type { SchemaType } from '../../src/schema-registry/schema-content.js';

const parse = (schema: unknown, schemaType: SchemaType = 'AVRO') =>
  parseSchema({ schema: JSON.stringify(schema), schemaType, references: [] }, () => {
    throw new Error('no references here');
  });
const rec = (...fields: object[]) => parse({ type: 'record', name: 'R', fields });
const ok = (level: CompatibilityLevel, candidate: ReturnType<typeof parse>, previous: ReturnType<typeof parse>[]) =>
  compatibilityProblems(level, candidate, previous).length === 0;

const a = { name: 'a', type: 'int' };
const bNoDefault = { name: 'b', type: 'string' };
const bDefault = { name: 'b', type: 'string', default: '' };

test('NONE accepts anything', (t) => {
  t.true(ok('NONE', parse('string'), [rec(a)]));
});

test('BACKWARD: the new schema reads the latest; adding a field needs a default, removing one is fine', (t) => {
  t.true(ok('BACKWARD', rec(a, bDefault), [rec(a)]));
  t.false(ok('BACKWARD', rec(a, bNoDefault), [rec(a)]));
  t.true(ok('BACKWARD', rec(a), [rec(a, bNoDefault)]));
});

test('FORWARD: the latest reads the new schema; removing a field needs its default in the old one', (t) => {
  t.true(ok('FORWARD', rec(a, bNoDefault), [rec(a)]));
  t.false(ok('FORWARD', rec(a), [rec(a, bNoDefault)]));
  t.true(ok('FORWARD', rec(a), [rec(a, bDefault)]));
});

test('FULL: both ways', (t) => {
  t.true(ok('FULL', rec(a, bDefault), [rec(a)]));
  t.false(ok('FULL', rec(a, bNoDefault), [rec(a)]));
  t.false(ok('FULL', rec(a), [rec(a, bNoDefault)]));
});

test('the transitive levels check every previous version, the plain ones only the latest', (t) => {
  // v1 has b as an int, v2 dropped b, the candidate brings b back as a string without a default.
  const v1 = rec(a, { name: 'b', type: 'int' });
  const v2 = rec(a);
  const candidateBackward = rec(a, { name: 'b', type: 'string', default: '' });
  t.true(ok('BACKWARD', candidateBackward, [v1, v2]));
  t.false(ok('BACKWARD_TRANSITIVE', candidateBackward, [v1, v2]));
  const candidateForward = rec(a, { name: 'b', type: 'string' });
  t.true(ok('FORWARD', candidateForward, [v1, v2]));
  t.false(ok('FORWARD_TRANSITIVE', candidateForward, [v1, v2]));
  t.true(ok('FULL', candidateBackward, [v1, v2]));
  t.false(ok('FULL_TRANSITIVE', candidateBackward, [v1, v2]));
});

test('a schema of another type is incompatible', (t) => {
  t.false(ok('BACKWARD', parse({ type: 'object' }, 'JSON'), [rec(a)]));
});

test('JSON Schema BACKWARD basics: types, required, closed and open content models, enums', (t) => {
  const obj = (properties: object, extra: object = {}) => parse({ type: 'object', properties, ...extra }, 'JSON');
  t.true(ok('BACKWARD', obj({ f: { type: 'number' } }), [obj({ f: { type: 'integer' } })]), 'integer widens to number');
  t.false(ok('BACKWARD', obj({ f: { type: 'integer' } }), [obj({ f: { type: 'number' } })]), 'number does not narrow to integer');
  t.false(ok('BACKWARD', obj({ f: { type: 'string' } }, { required: ['f'] }), [obj({ f: { type: 'string' } })]), 'a new required property');
  t.true(ok('BACKWARD', obj({}), [obj({ f: { type: 'string' } })]), 'a dropped property of an open model');
  t.false(ok('BACKWARD', obj({}, { additionalProperties: false }), [obj({ f: { type: 'string' } })]), 'a closed reader refuses the writer property');
  t.true(ok('BACKWARD', obj({ g: { type: 'string' } }), [obj({}, { additionalProperties: false })]), 'a property added to a closed writer model');
  t.false(ok('BACKWARD', obj({ g: { type: 'string' } }), [obj({})]), 'a property added to an open writer model');
  const e = (values: string[]) => parse({ enum: values }, 'JSON');
  t.true(ok('BACKWARD', e(['x', 'y']), [e(['x'])]));
  t.false(ok('BACKWARD', e(['x']), [e(['x', 'y'])]));
  t.true(ok('BACKWARD', parse(true, 'JSON'), [obj({ f: { type: 'string' } })]));
});

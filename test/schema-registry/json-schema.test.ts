import test from 'ava';
import { compatibilityProblems } from '../../src/schema-registry/compatibility-level.js';
import { parseSchema } from '../../src/schema-registry/parse-schema.js';
import { RegistryError } from '../../src/schema-registry/registry-error.js';

const parse = (schema: unknown) =>
  parseSchema({ schema: JSON.stringify(schema), schemaType: 'JSON', references: [] }, () => {
    throw new Error('no references here');
  });

const optional = (schema: object) => ({ oneOf: [{ type: 'null' }, schema] });
const backward = (candidate: unknown, previous: unknown) => compatibilityProblems('BACKWARD', parse(candidate), [parse(previous)]);

test('malformed combinators, definitions and $ref are invalid JSON Schemas (42201) naming the place', (t) => {
  const refused = (schema: unknown, message: RegExp) => {
    const error = t.throws(() => parse(schema), { instanceOf: RegistryError, message });
    t.is((error as RegistryError).errorCode, 42201);
  };
  refused({ oneOf: [] }, /#\/oneOf is not a non-empty array of schemas/);
  refused({ anyOf: { type: 'string' } }, /#\/anyOf is not a non-empty array/);
  refused({ properties: { a: { allOf: [{ type: 'strange' }] } } }, /#\/properties\/a\/allOf\/0\/type: unknown type "strange"/);
  refused({ not: 5 }, /#\/not is not a schema/);
  refused({ definitions: { p: { type: 7 } } }, /#\/definitions\/p\/type/);
  refused({ $ref: 1 }, /#\/\$ref is not a string/);
  t.notThrows(() => parse({ $defs: { p: { type: 'string' } }, oneOf: [{ type: 'null' }, { $ref: '#/$defs/p' }] }));
});

test('sum types: a writer branch the reader cannot read is incompatible; new branches are fine', (t) => {
  const int = { type: 'integer', 'connect.type': 'int32' };
  t.deepEqual(backward(optional(int), optional(int)), []);
  t.deepEqual(backward(optional({ type: 'number' }), optional(int)), [], 'integer widens to number inside a branch');
  t.regex(backward({ type: 'object', properties: { a: optional({ type: 'string' }) } }, { type: 'object', properties: { a: optional(int) } })[0]!, /SUM_TYPE_NARROWED at '#\/properties\/a'/);
  t.regex(backward({ type: 'object', properties: { a: int } }, { type: 'object', properties: { a: optional(int) } })[0]!, /SUM_TYPE_NARROWED/,
    'an optional property cannot become required');
  t.deepEqual(backward({ type: 'object', properties: { a: optional(int) } }, { type: 'object', properties: { a: int } }), [],
    'a required property may become optional');
  t.deepEqual(backward({ anyOf: [{ type: 'string' }, int] }, { type: 'string' }), []);
});

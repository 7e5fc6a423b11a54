import test from 'ava';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import type { CompatibilityLevel } from '../../src/schema-registry/compatibility-level.js';
import { RegistryError } from '../../src/schema-registry/registry-error.js';
import type { SchemaReference } from '../../src/schema-registry/schema-content.js';
import { SchemaStore } from '../../src/schema-registry/schema-store.js';
import { withTempDir } from '../helpers/temp-dir.js';

const proto = (schema: string, references: SchemaReference[] = []) => ({ schema, schemaType: 'PROTOBUF' as const, references });

function withStore(body: (store: SchemaStore) => void): void {
  withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      body(SchemaStore.open(broker));
    } finally {
      broker.close();
    }
  });
}

test('a PROTOBUF schema that does not parse, or names an unknown type or import, is refused with 42201 and the reason', (t) => {
  withStore((store) => {
    for (const [text, reason] of [
      ['syntax = "proto3"; message { }', /illegal/],
      ['syntax = "proto3"; message A { Missing m = 1; }', /no such Type or Enum 'Missing'/],
      ['syntax = "proto3"; import "other.proto"; message A { int32 x = 1; }', /other.proto/],
    ] as const) {
      const error = t.throws(() => store.register('bad-value', proto(text)), { instanceOf: RegistryError, message: reason });
      t.is(error?.errorCode, 42201);
    }
  });
});

test('the same Protobuf schema written differently shares one id; a reference resolves an import', (t) => {
  withStore((store) => {
    const id = store.register('a-value', proto('syntax = "proto3";\nmessage A {\n  int32 x = 1; // a comment\n}\n'));
    t.is(store.register('b-value', proto("syntax='proto3'; message A { int32 x = 1; }")), id);
    t.not(store.register('c-value', proto('syntax = "proto3"; message A { int64 x = 1; }')), id);
    store.register('event.proto', proto('syntax = "proto3"; message Event { int64 ts = 1; }'));
    const withReference = store.register('l-value', proto('syntax = "proto3"; import "event.proto"; message L { Event e = 1; }', [
      { name: 'event.proto', subject: 'event.proto', version: 1 },
    ]));
    t.true(withReference > id);
  });
});

function compatible(level: CompatibilityLevel, before: string, after: string): boolean {
  let ok = false;
  withStore((store) => {
    store.setLevel('s-value', level);
    store.register('s-value', proto(`syntax = "proto3"; ${before.startsWith('package') ? '' : 'package p; '}${before}`));
    try {
      store.register('s-value', proto(`syntax = "proto3"; ${after.startsWith('package') ? '' : 'package p; '}${after}`));
      ok = true;
    } catch (error) {
      if (!(error instanceof RegistryError) || error.errorCode !== 409) throw error;
    }
  });
  return ok;
}

test('compatibility follows Confluent\'s Protobuf rules', (t) => {
  const base = 'message A { int32 x = 1; string s = 2; B b = 3; } message B { bool f = 1; }';
  t.true(compatible('BACKWARD', base, 'message A { int32 x = 1; string s = 2; B b = 3; double added = 4; } message B { bool f = 1; }'), 'a new field');
  t.true(compatible('FULL', base, 'message A { int32 x = 1; B b = 3; } message B { bool f = 1; }'), 'a removed field');
  t.true(compatible('FULL', base, 'message A { int64 x = 1; bytes s = 2; B b = 3; } message B { bool f = 1; }'), 'same wire encodings');
  t.true(compatible('BACKWARD', base, 'message A { int32 renamed = 1; string s = 2; B b = 3; } message B { bool f = 1; }'), 'a renamed field');
  t.false(compatible('BACKWARD', base, 'message A { sint32 x = 1; string s = 2; B b = 3; } message B { bool f = 1; }'), 'int32 to sint32');
  t.false(compatible('BACKWARD', base, 'message A { int32 x = 1; B s = 2; B b = 3; } message B { bool f = 1; }'), 'scalar to message');
  t.false(compatible('BACKWARD', base, 'message A { int32 x = 1; string s = 2; C b = 3; } message B { bool f = 1; } message C { bool f = 1; }'), 'another message');
  t.false(compatible('BACKWARD', base, 'message A { repeated int32 x = 1; string s = 2; B b = 3; } message B { bool f = 1; }'), 'singular to repeated');
  t.false(compatible('BACKWARD', base, 'message A { int32 x = 1; string s = 2; } '), 'a removed message');
  t.true(compatible('BACKWARD', base, `${base} message C { int32 y = 1; }`), 'a new message');
  // Confluent compares the files both ways round: to the old schema, the new message is a removed one.
  t.false(compatible('FORWARD', base, `${base} message C { int32 y = 1; }`), 'a new message, checked forward');
  t.false(compatible('BACKWARD', base, `package q; ${base}`), 'another package');
  t.true(compatible('FULL_TRANSITIVE', base, base));
  t.true(compatible('NONE', base, 'message Z { string q = 1; }'));
});

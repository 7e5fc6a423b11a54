import test from 'ava';
import { createSerde } from '../imports.js';

test('NONE writes null and ignores the bytes it reads', (t) => {
  for (const target of ['key', 'value'] as const) {
    const serde = createSerde({ format: 'none', target, columns: [] });
    t.is(serde.serialize([]), null);
    t.is(serde.serialize(null), null);
    t.deepEqual(serde.deserialize(Buffer.from('data that should be ignored')), []);
    t.is(serde.deserialize(null), null);
  }
});

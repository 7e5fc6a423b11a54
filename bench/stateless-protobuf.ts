/**
 * The Protobuf side of the stateless benchmark: the same filter+projection
 * query as bench/stateless.ts, PROTOBUF in and out (the generated schema in
 * the embedded Schema Registry, records in Confluent's Protobuf framing).
 * The limit, measured in the same run: a bare loop of protobufjs decode and
 * encode (the framing header copied) over the same event bytes.
 */
import protobuf from 'protobufjs';
import type { ProducerRecord } from '../src/broker/broker.js';
import { subjectOf } from '../src/formats/index.js';
import { frameMessage } from '../src/formats/protobuf/proto-wire.js';
import { eventFields, measureSchemaFormatStateless } from './stateless.js';

/** Magic byte, schema id, and the single 0 byte of the message indexes `[0]`. */
const HEADER_BYTES = 6;

interface Registered {
  readonly id: number;
  readonly type: protobuf.Type;
}

/** The events' value message as the engine registered it when the source stream was created. */
function registeredType(registry: { latest(subject: string): { id: number; schema: string } | undefined } | undefined): Registered {
  const registered = registry?.latest(subjectOf('events', 'value'));
  if (registered === undefined) throw new Error('the source stream registered no value schema');
  const { root } = protobuf.parse(registered.schema, { keepCase: true });
  const type = root.nestedArray.find((n): n is protobuf.Type => n instanceof protobuf.Type);
  if (type === undefined) throw new Error('the registered schema has no message');
  return { id: registered.id, type };
}

/** Events/s of a bare loop that decodes each event's Protobuf value and encodes it again, header included. */
function measureProtobufLimit(events: readonly ProducerRecord[], type: protobuf.Type): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (const e of events) {
    const message = type.decode(e.value!.subarray(HEADER_BYTES));
    const body = type.encode(message).finish();
    const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
    e.value!.copy(out, 0, 0, HEADER_BYTES);
    out.set(body, HEADER_BYTES);
    sink += out.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink === 0) throw new Error('nothing was serialized');
  return events.length / seconds;
}

/** Best of `rounds` interleaved rounds of the engine over `count` Protobuf events and of the bare protobufjs loop; events/s. */
export function measureProtobufStateless(count: number, rounds: number): { rate: number; limit: number } {
  return measureSchemaFormatStateless(count, rounds, {
    name: 'PROTOBUF',
    registered: (engine) => registeredType(engine.schemaRegistry),
    encoder: ({ id, type }) => (i) => frameMessage(id, [0], type.encode(type.fromObject(eventFields(i))).finish()),
    limit: (events, { type }) => measureProtobufLimit(events, type),
  });
}

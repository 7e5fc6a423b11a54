/**
 * The Avro side of the stateless benchmark: the same filter+projection query
 * as bench/stateless.ts, Avro in and Avro out (schemas in the embedded
 * Schema Registry, records in Confluent's wire format). The limit, measured
 * in the same run: a bare loop of avsc decode and encode (with the wire
 * format's 5-byte header) over the same event bytes.
 */
import avro from 'avsc';
import type { ProducerRecord } from '../src/broker/broker.js';
import { confluentFrame, subjectOf } from '../src/formats/index.js';
import { eventFields, measureSchemaFormatStateless } from './stateless.js';

const HEADER_BYTES = 5;

/** The events' value schema as the engine registered it when the source stream was created. */
function registeredType(registry: { latest(subject: string): { id: number; schema: string } | undefined } | undefined): { id: number; type: avro.Type } {
  const registered = registry?.latest(subjectOf('events', 'value'));
  if (registered === undefined) throw new Error('the source stream registered no value schema');
  return { id: registered.id, type: avro.Type.forSchema(JSON.parse(registered.schema) as avro.Schema) };
}

/** Events/s of a bare loop that decodes each event's Avro value and encodes it again, header included. */
export function measureAvroLimit(events: readonly ProducerRecord[], type: avro.Type): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (const e of events) {
    const value: unknown = type.fromBuffer(e.value!.subarray(HEADER_BYTES));
    const body = type.toBuffer(value);
    const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
    e.value!.copy(out, 0, 0, HEADER_BYTES);
    body.copy(out, HEADER_BYTES);
    sink += out.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink === 0) throw new Error('nothing was serialized');
  return events.length / seconds;
}

/** Best of `rounds` interleaved rounds of the engine over `count` Avro events and of the bare avsc loop; events/s. */
export function measureAvroStateless(count: number, rounds: number): { rate: number; limit: number } {
  return measureSchemaFormatStateless(count, rounds, {
    name: 'AVRO',
    registered: (engine) => registeredType(engine.schemaRegistry),
    encoder: ({ id, type }) => (i) => confluentFrame(id, type.toBuffer(eventFields(i))),
    limit: (events, { type }) => measureAvroLimit(events, type),
  });
}

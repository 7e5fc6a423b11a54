/**
 * Errors thrown per record by serdes. They are not statement errors: the
 * runtime catches them and writes them to the processing log, so they carry
 * the pieces of ksqlDB's DESERIALIZATION_ERROR / SERIALIZATION_ERROR entries.
 */
import type { SerdeTarget } from './serde.js';

/**
 * The bytes of a key or value could not be turned into column values. The
 * message is what ksqlDB's deserializer for the format throws, and `causes`
 * the messages of the errors under it, outermost first, as its processing
 * log lists them (ksqlDB's Connect-based formats wrap the converter's error,
 * KAFKA and DELIMITED say only which format failed and leave the reason to
 * the cause).
 */
export class DeserializationError extends Error {
  readonly target: SerdeTarget;
  readonly format: string;
  /** What went wrong, without the format's wrapping, e.g. "Can't convert type. ..." */
  readonly detail: string;
  readonly causes: readonly string[];

  /** `cause`: the error behind `detail`, whose message is `detail` and whose own causes follow it in `causes`. */
  constructor(format: string, target: SerdeTarget, detail: string, topic?: string, cause?: unknown) {
    super(deserializationMessage(format, target, topic, detail), cause === undefined ? undefined : { cause });
    this.name = 'DeserializationError';
    this.format = format;
    this.target = target;
    this.detail = detail;
    this.causes = [...converterMessages(format, topic), detail, ...messagesUnder(cause)];
  }
}

function deserializationMessage(format: string, target: SerdeTarget, topic: string | undefined, detail: string): string {
  const fromTopic = topic === undefined ? '' : ` from topic: ${topic}`;
  switch (format) {
    case 'KAFKA':
      return `Error deserializing KAFKA message${fromTopic}`;
    case 'DELIMITED':
      return 'Error deserializing delimited';
    case 'AVRO':
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      return `Error deserializing message${fromTopic}`;
    default:
      return `Failed to deserialize ${target}${fromTopic}. ${detail}`;
  }
}

/** The Connect converter's own wrapping, between ksqlDB's and the deserializer's error. */
function converterMessages(format: string, topic: string | undefined): string[] {
  if (format === 'AVRO') return [`Failed to deserialize data for topic ${topic} to Avro: `];
  if (format === 'PROTOBUF' || format === 'PROTOBUF_NOSR') return [`Failed to deserialize data for topic ${topic} to Protobuf: `];
  return [];
}

/** The messages of an error's causes, not its own. */
function messagesUnder(error: unknown): string[] {
  const out: string[] = [];
  let e: unknown = (error as { cause?: unknown } | undefined)?.cause;
  while (e !== undefined && e !== null && out.length < 10) {
    out.push(e instanceof Error ? e.message : String(e));
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/** Column values could not be written as bytes. */
export class SerializationError extends Error {
  readonly target: SerdeTarget;
  readonly format: string;
  readonly detail: string;

  constructor(format: string, target: SerdeTarget, detail: string, topic?: string, cause?: unknown) {
    super(
      `Failed to serialize ${target}${topic === undefined ? '' : ` to topic: ${topic}`}. ${detail}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'SerializationError';
    this.format = format;
    this.target = target;
    this.detail = detail;
  }
}

/** Raised inside a format's converters; the serde wraps it into a DeserializationError. */
export class CoercionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoercionError';
  }
}

/**
 * A number outside the range of its integer column type. Java's intValue and
 * longValue would wrap it silently; we refuse it, so the record goes to the
 * processing log (or the inserted row is refused) instead of storing a wrong number.
 */
export class NumberRangeError extends CoercionError {
  constructor(message: string) {
    super(message);
    this.name = 'NumberRangeError';
  }
}

/**
 * Errors thrown per record by serdes. They are not statement errors: the
 * runtime catches them and writes them to the processing log, so they carry
 * the pieces of ksqlDB's DESERIALIZATION_ERROR / SERIALIZATION_ERROR entries.
 */
import type { SerdeTarget } from './serde.js';

/** The bytes of a key or value could not be turned into column values. */
export class DeserializationError extends Error {
  readonly target: SerdeTarget;
  readonly format: string;
  /** What went wrong, without the topic prefix, e.g. "Can't convert type. ..." */
  readonly detail: string;

  constructor(format: string, target: SerdeTarget, detail: string, topic?: string, cause?: unknown) {
    super(describeDeserializationFailure(target, topic, detail), cause === undefined ? undefined : { cause });
    this.name = 'DeserializationError';
    this.format = format;
    this.target = target;
    this.detail = detail;
  }

  /** The processing-log message for a given topic. */
  messageForTopic(topic: string): string {
    return describeDeserializationFailure(this.target, topic, this.detail);
  }
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

/** ksqlDB's wording: "Failed to deserialize value from topic: T. <detail>". */
export function describeDeserializationFailure(target: SerdeTarget, topic: string | undefined, detail: string): string {
  return `Failed to deserialize ${target}${topic === undefined ? '' : ` from topic: ${topic}`}. ${detail}`;
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

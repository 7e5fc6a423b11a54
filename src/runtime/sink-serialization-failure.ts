/**
 * A sink row its formats cannot write. ksqlDB's serializers log such a row
 * to the processing log and rethrow, and Kafka Streams' default handler of
 * serialization errors fails the task: the query stops in ERROR on that
 * record instead of skipping it (its output would miss a row silently).
 */
export class SinkSerializationFailure extends Error {
  override readonly name = 'StreamsException';

  constructor(topic: string, timestamp: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Unable to serialize record. ProducerRecord(topic=[${topic}], timestamp=[${timestamp}]): ${reason}`, { cause });
  }
}

/**
 * An error a task's operators threw while processing one record, as Kafka
 * Streams reports it ("Exception caught in process" with the task and the
 * record's position) so the query's error names the record that stopped it.
 * The original error is the cause: its message ends the headline and its
 * class decides who is at fault.
 */
export class RecordProcessingFailure extends Error {
  override readonly name = 'StreamsException';

  constructor(taskId: string, record: { readonly topic: string; readonly partition: number; readonly offset: number }, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Exception caught in process. taskId=${taskId}, topic=${record.topic}, partition=${record.partition}, offset=${record.offset}: ${reason}`, { cause });
  }
}

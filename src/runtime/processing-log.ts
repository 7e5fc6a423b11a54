/**
 * The processing log: per-record errors, written as JSON records to the
 * processing log topic in ksqlDB's layout (logger, level, time, message with
 * a numeric type and one detail struct), in the same commit as the task's
 * other output. A query never stops for a bad record.
 */
import type { ProducerRecord } from '../broker/broker.js';
import { DeserializationError } from '../formats/index.js';

export const enum ProcessingErrorType {
  DESERIALIZATION_ERROR = 0,
  RECORD_PROCESSING_ERROR = 1,
  PRODUCTION_ERROR = 2,
  SERIALIZATION_ERROR = 3,
}

export interface ProcessingLogEntry {
  readonly logger: string;
  readonly level: 'ERROR';
  readonly time: number;
  readonly message: Record<string, unknown>;
}

/** The chain of messages of an error and its causes, outermost first. */
export function causeChain(error: unknown): string[] {
  const out: string[] = [];
  let e: unknown = (error as { cause?: unknown })?.cause;
  while (e !== undefined && e !== null && out.length < 10) {
    out.push(e instanceof Error ? e.message : String(e));
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function deserializationError(
  logger: string, target: 'key' | 'value', topic: string, bytes: Buffer | null, error: unknown, includeRows: boolean,
): ProcessingLogEntry {
  return {
    logger, level: 'ERROR', time: Date.now(),
    message: {
      type: ProcessingErrorType.DESERIALIZATION_ERROR,
      deserializationError: {
        target,
        errorMessage: messageOf(error),
        recordB64: includeRows && bytes !== null ? bytes.toString('base64') : null,
        cause: error instanceof DeserializationError ? [...error.causes] : causeChain(error),
        topic,
      },
    },
  };
}

export function recordProcessingError(logger: string, error: unknown, record: string | null): ProcessingLogEntry {
  return {
    logger, level: 'ERROR', time: Date.now(),
    message: {
      type: ProcessingErrorType.RECORD_PROCESSING_ERROR,
      recordProcessingError: { errorMessage: messageOf(error), record, cause: causeChain(error) },
    },
  };
}

/** A record the log refused to take (ksqlDB's production exception handler logs these). */
export function productionError(logger: string, error: unknown): ProcessingLogEntry {
  return {
    logger, level: 'ERROR', time: Date.now(),
    message: { type: ProcessingErrorType.PRODUCTION_ERROR, productionError: { errorMessage: messageOf(error) } },
  };
}

export function toProducerRecord(entry: ProcessingLogEntry): ProducerRecord {
  return { key: null, value: Buffer.from(JSON.stringify(entry)), timestamp: entry.time };
}

/**
 * What an at-least-once client knows about the rows it inserted: each logical
 * row (its SEQ) is sent until one attempt is acknowledged, and each attempt
 * has its own number (SENT), carried in the row. A row stored twice under one
 * SENT was duplicated by the server; a SEQ stored under two SENTs was stored
 * without its acknowledgement reaching the client, then sent again.
 */

/** One attempt to insert a row, with the values derived from the row's SEQ. */
export interface Attempt {
  readonly sent: number;
  readonly seq: number;
  readonly sensor: string;
  readonly v: number;
}

const SENSORS = 7;

/** The values of row `seq`: every attempt of a row carries the same ones. */
export function rowValues(seq: number): { sensor: string; v: number } {
  return { sensor: `S${seq % SENSORS}`, v: (seq * 37) % 100 };
}

export class InsertLedger {
  private nextSeq = 0;
  private readonly attempts: Attempt[] = [];
  /** Rows whose last attempt was not acknowledged, sent again before new rows. */
  private readonly retries: number[] = [];
  private readonly acknowledged = new Set<number>();
  private readonly rejected = new Set<number>();

  /** A new attempt: of a row to retry if there is one, else of a new row. */
  next(): Attempt {
    const seq = this.retries.shift() ?? this.nextSeq++;
    const attempt = { sent: this.attempts.length, seq, ...rowValues(seq) };
    this.attempts.push(attempt);
    return attempt;
  }

  /** The server stored the attempt (an ok ack, or a 200 to INSERT VALUES). */
  acknowledge(sent: number): void {
    this.acknowledged.add(sent);
  }

  /** The server refused the attempt: it must not be stored; the row is sent again. */
  reject(sent: number): void {
    this.rejected.add(sent);
    this.retry(sent);
  }

  /** No answer came for the attempt (the connection died): the row is sent again. */
  unanswered(sent: number): void {
    this.retry(sent);
  }

  private retry(sent: number): void {
    const attempt = this.attempts[sent];
    if (attempt === undefined) throw new Error(`no attempt ${sent} was made`);
    this.retries.push(attempt.seq);
  }

  /** Attempt number `sent`, if one was made. */
  attempt(sent: number): Attempt | undefined {
    return this.attempts[sent];
  }

  isAcknowledged(sent: number): boolean {
    return this.acknowledged.has(sent);
  }

  isRejected(sent: number): boolean {
    return this.rejected.has(sent);
  }

  /** Every acknowledged attempt's number. */
  acknowledgedAttempts(): number[] {
    return [...this.acknowledged];
  }
}

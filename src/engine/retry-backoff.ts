/**
 * The waits before the retries of a query in ERROR, as ksqlDB spaces them:
 * the initial wait first, then twice the previous one, never more than the
 * maximum. It does not shrink after a successful run: a query that keeps
 * failing keeps backing off for as long as this server runs it.
 */
export class RetryBackoff {
  private nextMs: number;

  constructor(initialMs: number, private readonly maxMs: number) {
    this.nextMs = Math.max(0, Math.min(initialMs, maxMs));
  }

  /** The wait before the next retry; each call moves on to the one after. */
  next(): number {
    const wait = this.nextMs;
    this.nextMs = Math.min(Math.max(wait * 2, 1), this.maxMs);
    return wait;
  }
}

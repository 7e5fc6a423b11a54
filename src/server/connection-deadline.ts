/**
 * The one deadline a client connection is under at a time (its headers, or
 * its idleness): when it passes, the connection is ended. Set again, it
 * replaces the one before; cleared, the connection may stay.
 */
import type { Duplex } from 'node:stream';
import { createLogger } from '../common/logger.js';

const log = createLogger('server');

export class ConnectionDeadline {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly connection: Duplex) {
    connection.once('close', () => this.clear());
  }

  /** `end` closes the connection in the protocol's own way (default: destroy it). */
  set(ms: number, reason: string, end: () => void = () => this.connection.destroy()): void {
    this.clear();
    this.timer = setTimeout(() => {
      log.debug({ reason, ms }, 'closing a connection past its deadline');
      end();
    }, ms);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

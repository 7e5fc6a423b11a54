/**
 * A request the listener cannot read: truncated, malformed, or for an API or
 * version it does not speak. The connection that sent it is closed (what
 * Kafka's broker does), since the stream's framing can no longer be trusted
 * or no response layout exists for it.
 */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

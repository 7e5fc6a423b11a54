/** This server as `host:port`, from its first listener (the server sets `listeners` at start), as ksqlDB names a host. */
import type { KsqlConfig } from './config.js';

export function localHost(config: KsqlConfig): string {
  const listener = (config.getString('listeners') ?? 'http://localhost:8088').split(',')[0]!.trim();
  return listener.replace(/^[a-z]+:\/\//i, '');
}

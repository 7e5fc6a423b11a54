/**
 * An HTTP/1.1 request asking to upgrade to anything but a WebSocket, above
 * all `curl --http2 http://...` (Upgrade: h2c), which ksqlDB's pages use for
 * /query-stream: the server keeps HTTP/1.1 and answers it as a plain request,
 * as RFC 9110 (7.8) lets a server ignore Upgrade. Node has already read the
 * request's head when it offers the upgrade, so the head is written again
 * without its upgrade headers, put back in front of the bytes that followed,
 * and the connection handed to the HTTP/1.1 server anew.
 */
import type { IncomingMessage, Server as Http1Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** The headers that only mean something to the upgrade. */
const UPGRADE_ONLY = new Set(['upgrade', 'http2-settings']);

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').trim().toLowerCase() === 'websocket';
}

/** Serves `req` over HTTP/1.1 as if it had no Upgrade header. */
export function serveWithoutUpgrade(h1: Http1Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.unshift(Buffer.concat([requestHead(req), head]));
  h1.emit('connection', socket);
  socket.resume();
}

function requestHead(req: IncomingMessage): Buffer {
  const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (UPGRADE_ONLY.has(lower)) continue;
    if (lower === 'connection') {
      const kept = raw[i + 1]!.split(',').map((token) => token.trim()).filter((token) => token !== '' && !UPGRADE_ONLY.has(token.toLowerCase()));
      if (kept.length > 0) lines.push(`${name}: ${kept.join(', ')}`);
      continue;
    }
    lines.push(`${name}: ${raw[i + 1]!}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

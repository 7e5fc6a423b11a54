/** Streaming clients for the query endpoints: HTTP/1.1 chunks, HTTP/2 frames, and waiting for lines. */
import { request as httpRequest } from 'node:http';
import { connect, type ClientHttp2Session } from 'node:http2';

export interface StreamedResponse {
  readonly status: Promise<number>;
  readonly headers: Promise<Record<string, string | string[] | undefined>>;
  /** Every chunk (HTTP/1.1) or DATA frame (HTTP/2) received so far. */
  readonly chunks: string[];
  /** Resolves when the response has ended. */
  readonly ended: Promise<void>;
  text(): string;
  /** Resolves once the body holds at least `n` newline-terminated lines. */
  lines(n: number, timeoutMs?: number): Promise<string[]>;
  close(): void;
}

function tracker(): { chunks: string[]; text: () => string; lines: StreamedResponse['lines']; onChunk: (c: string) => void } {
  const chunks: string[] = [];
  const waiters: (() => void)[] = [];
  const text = (): string => chunks.join('');
  const complete = (): string[] => text().split('\n').slice(0, -1);
  return {
    chunks,
    text,
    onChunk(c) {
      chunks.push(c);
      for (const w of waiters.splice(0)) w();
    },
    lines(n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} lines; got ${JSON.stringify(text())}`)), timeoutMs);
        const check = (): void => {
          const got = complete();
          if (got.length >= n) {
            clearTimeout(timer);
            resolve(got);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** POST over HTTP/1.1, reading the body as it streams. */
export function postStreamHttp1(url: string, path: string, body: string, headers: Record<string, string> = {}): StreamedResponse {
  const t = tracker();
  let setStatus!: (s: number) => void;
  let setHeaders!: (h: Record<string, string | string[] | undefined>) => void;
  let setEnded!: () => void;
  const status = new Promise<number>((r) => (setStatus = r));
  const hdrs = new Promise<Record<string, string | string[] | undefined>>((r) => (setHeaders = r));
  const ended = new Promise<void>((r) => (setEnded = r));
  const req = httpRequest(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
    setStatus(res.statusCode ?? 0);
    setHeaders(res.headers);
    res.setEncoding('utf8');
    res.on('data', (c: string) => t.onChunk(c));
    res.on('end', () => setEnded());
    res.on('close', () => setEnded());
  });
  req.on('error', () => setEnded());
  req.end(body);
  return { status, headers: hdrs, chunks: t.chunks, ended, text: t.text, lines: t.lines, close: () => req.destroy() };
}

/** POST over cleartext HTTP/2 (prior knowledge), one entry of `chunks` per DATA frame. */
export function postStreamHttp2(session: ClientHttp2Session, path: string, body: string, headers: Record<string, string> = {}): StreamedResponse {
  const t = tracker();
  let setStatus!: (s: number) => void;
  let setHeaders!: (h: Record<string, string | string[] | undefined>) => void;
  let setEnded!: () => void;
  const status = new Promise<number>((r) => (setStatus = r));
  const hdrs = new Promise<Record<string, string | string[] | undefined>>((r) => (setHeaders = r));
  const ended = new Promise<void>((r) => (setEnded = r));
  const stream = session.request({ ':method': 'POST', ':path': path, ...headers });
  stream.on('response', (h) => {
    setStatus(Number(h[':status']));
    setHeaders(h as Record<string, string>);
  });
  stream.setEncoding('utf8');
  stream.on('data', (c: string) => t.onChunk(c));
  stream.on('end', () => setEnded());
  stream.on('close', () => setEnded());
  stream.on('error', () => setEnded());
  stream.end(body);
  return { status, headers: hdrs, chunks: t.chunks, ended, text: t.text, lines: t.lines, close: () => stream.close() };
}

export function openHttp2(url: string): ClientHttp2Session {
  const session = connect(url);
  session.on('error', () => {});
  return session;
}

/** Polls `check` until it holds (for effects the server makes asynchronously). */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

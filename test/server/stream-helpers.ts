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

type Headers = Record<string, string | string[] | undefined>;

/** A response being received: the transport settles status, headers and end, and feeds chunks. */
interface PendingResponse {
  readonly response: Omit<StreamedResponse, 'close'>;
  readonly respond: (status: number, headers: Headers) => void;
  readonly onChunk: (chunk: string) => void;
  readonly end: () => void;
}

function pendingResponse(): PendingResponse {
  const t = tracker();
  let setStatus!: (s: number) => void;
  let setHeaders!: (h: Headers) => void;
  let setEnded!: () => void;
  const status = new Promise<number>((r) => (setStatus = r));
  const headers = new Promise<Headers>((r) => (setHeaders = r));
  const ended = new Promise<void>((r) => (setEnded = r));
  return {
    response: { status, headers, chunks: t.chunks, ended, text: t.text, lines: t.lines },
    respond(s, h) {
      setStatus(s);
      setHeaders(h);
    },
    onChunk: t.onChunk,
    end: () => setEnded(),
  };
}

/** POST over HTTP/1.1, reading the body as it streams. */
export function postStreamHttp1(url: string, path: string, body: string, headers: Record<string, string> = {}): StreamedResponse {
  const pending = pendingResponse();
  const req = httpRequest(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
    pending.respond(res.statusCode ?? 0, res.headers);
    res.setEncoding('utf8');
    res.on('data', pending.onChunk);
    res.on('end', pending.end);
    res.on('close', pending.end);
  });
  req.on('error', pending.end);
  req.end(body);
  return { ...pending.response, close: () => req.destroy() };
}

/** POST over cleartext HTTP/2 (prior knowledge), one entry of `chunks` per DATA frame. */
export function postStreamHttp2(session: ClientHttp2Session, path: string, body: string, headers: Record<string, string> = {}): StreamedResponse {
  const pending = pendingResponse();
  const stream = session.request({ ':method': 'POST', ':path': path, ...headers });
  stream.on('response', (h) => pending.respond(Number(h[':status']), h as Headers));
  stream.setEncoding('utf8');
  stream.on('data', pending.onChunk);
  stream.on('end', pending.end);
  stream.on('close', pending.end);
  stream.on('error', pending.end);
  stream.end(body);
  return { ...pending.response, close: () => stream.close() };
}

export function openHttp2(url: string): ClientHttp2Session {
  const session = connect(url);
  session.on('error', () => {});
  return session;
}

/** Polls `check` until it holds (for effects the server makes asynchronously). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

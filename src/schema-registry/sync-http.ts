/**
 * HTTP requests made synchronously, for callers that cannot await (the
 * formats' registry client runs inside a task's synchronous commit). One
 * worker thread makes the requests; the caller blocks on `Atomics.wait`
 * over a shared flag until the worker has posted the answer, then takes it
 * from the port with `receiveMessageOnPort`. Answers carry a sequence
 * number, so one that arrives after its caller gave up is dropped.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface SyncHttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Certificates of the authorities an https server's chain must lead to (PEM); Node's defaults when absent. */
  readonly ca?: string;
}

export interface SyncHttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** What the caller posts to the worker for each request. */
export interface SyncHttpMessage {
  readonly seq: number;
  readonly request: SyncHttpRequest;
}

/** What the worker starts with: where it posts answers and the flag it raises after each. */
export interface SyncHttpWorkerData {
  readonly port: MessagePort;
  readonly flag: Int32Array;
}

export type SyncHttpReply =
  | ({ readonly seq: number; readonly ok: true } & SyncHttpAnswer)
  | { readonly seq: number; readonly ok: false; readonly reason: string; readonly timedOut: boolean };

/** The request could not be made or got no answer (refused connection, TLS failure, timeout). */
export class SyncHttpError extends Error {
  constructor(message: string, readonly timedOut: boolean) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

/** The worker gets this long beyond the request's own timeout to report it. */
const GRACE_MS = 1000;

interface RunningWorker {
  readonly worker: Worker;
  /** The caller's end of the channel the worker answers on. */
  readonly answers: MessagePort;
  readonly flag: Int32Array;
}

export class SyncHttp {
  private running: RunningWorker | undefined;
  private seq = 0;

  /** Blocks the calling thread until the answer arrives; throws SyncHttpError when none does. */
  request(request: SyncHttpRequest): SyncHttpAnswer {
    const running = (this.running ??= startWorker());
    const seq = ++this.seq;
    Atomics.store(running.flag, 0, 0);
    running.worker.postMessage({ seq, request } satisfies SyncHttpMessage);
    const deadline = Date.now() + request.timeoutMs + GRACE_MS;
    for (;;) {
      const reply = take(running.answers, seq);
      if (reply !== undefined) {
        if (reply.ok) return { status: reply.status, body: reply.body };
        throw new SyncHttpError(reply.reason, reply.timedOut);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new SyncHttpError(`no answer within ${request.timeoutMs} ms`, true);
      Atomics.wait(running.flag, 0, 0, left);
      Atomics.store(running.flag, 0, 0);
    }
  }

  /** Stops the worker; a later request starts a new one. */
  close(): void {
    const running = this.running;
    this.running = undefined;
    if (running === undefined) return;
    running.answers.close();
    void running.worker.terminate();
  }
}

function startWorker(): RunningWorker {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const workerData: SyncHttpWorkerData = { port: port2, flag };
  const worker = new Worker(new URL('./sync-http-worker.js', import.meta.url), { workerData, transferList: [port2] });
  // The worker never keeps the process alive: its callers are blocked while it matters.
  worker.unref();
  return { worker, answers: port1, flag };
}

/** The answer numbered `seq` when it has arrived; earlier, abandoned answers are dropped. */
function take(answers: MessagePort, seq: number): SyncHttpReply | undefined {
  for (;;) {
    const received = receiveMessageOnPort(answers);
    if (received === undefined) return undefined;
    const reply = received.message as SyncHttpReply;
    if (reply.seq === seq) return reply;
  }
}

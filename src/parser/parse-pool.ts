/**
 * Parsing off the event loop. Chevrotain's parse of a long statement costs
 * tens to hundreds of milliseconds (about 20-50 µs a token on a loaded
 * machine, most of it the parse tree and its garbage), during which a server
 * answers nobody. A ParsePool runs parseStatements, the same function, on a
 * few worker threads (parse-worker.ts) for texts of at least `minLength`
 * characters; shorter ones parse in process, where they cost less than the
 * hop to a thread. The statements come back by structured clone, which keeps
 * the AST as parseStatements made it (BigInts, locations, the same errors).
 *
 * The pool is bounded: `threads` parse at once, at most `queueSize` texts wait
 * for a thread (one more is refused with 429, TOO_MANY_REQUESTS), and a parse
 * that runs past `timeoutMs` is abandoned with a 400: its thread is
 * terminated and replaced.
 */
import { Worker } from 'node:worker_threads';
import { KsqlError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import type { Statement } from './ast/statement.js';
import { parseStatements, type ParseOptions } from './parse.js';
import { checkLength, DEFAULT_PARSE_LIMITS } from './parse-limits.js';
import { parseError, type ParseReply } from './parse-reply.js';

/** Parses statement text, on the event loop or off it. */
export interface StatementParser {
  parse(text: string, options?: ParseOptions): Promise<Statement[]>;
}

/** parseStatements as a StatementParser: everything in process. */
export const IN_PROCESS_PARSER: StatementParser = {
  parse: (text, options) => {
    try {
      return Promise.resolve(parseStatements(text, options));
    } catch (error) {
      return Promise.reject(error);
    }
  },
};

export interface ParsePoolOptions {
  /** Threads that parse; 0 parses every text in process. */
  readonly threads: number;
  /** Texts that may wait for a thread; one more is refused. */
  readonly queueSize: number;
  /** A parse that runs longer is abandoned. */
  readonly timeoutMs: number;
  /** Texts shorter than this parse in process. */
  readonly minLength: number;
}

/** The server settings of the pool (docs/security.md). */
export const PARSE_POOL_PROPERTIES: Readonly<Record<keyof ParsePoolOptions, string>> = {
  threads: 'ksqlite.statement.parse.threads',
  queueSize: 'ksqlite.statement.parse.queue.size',
  timeoutMs: 'ksqlite.statement.parse.timeout.ms',
  minLength: 'ksqlite.statement.parse.thread.min.length',
};

export const DEFAULT_PARSE_POOL_OPTIONS: ParsePoolOptions = {
  threads: 1,
  queueSize: 16,
  timeoutMs: 5000,
  // A few milliseconds of parsing at most, about what the hop to a thread and back costs.
  minLength: 500,
};

interface Job {
  readonly text: string;
  readonly options: ParseOptions;
  resolve(statements: Statement[]): void;
  reject(error: unknown): void;
}

interface Thread {
  readonly worker: Worker;
  ready: boolean;
  running?: { readonly id: number; readonly job: Job; readonly timer: NodeJS.Timeout };
}

const log = createLogger('parser');

const WORKER_URL = new URL('./parse-worker.js', import.meta.url);

export class ParsePool implements StatementParser {
  private readonly threads = new Set<Thread>();
  private readonly waiting: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: ParsePoolOptions = DEFAULT_PARSE_POOL_OPTIONS) {}

  /** Starts the threads, which build their parsers at once; until then texts parse in process. */
  start(): this {
    if (!this.closed) while (this.threads.size < this.options.threads) this.spawn();
    return this;
  }

  parse(text: string, options: ParseOptions = {}): Promise<Statement[]> {
    // Over the length bound, parseStatements refuses at once: no need to copy the text to a thread.
    if (this.closed || this.threads.size === 0 || text.length < this.options.minLength || text.length > (options.limits ?? DEFAULT_PARSE_LIMITS).maxLength) {
      return IN_PROCESS_PARSER.parse(text, options);
    }
    if (this.waiting.length >= this.options.queueSize) {
      return Promise.reject(new KsqlError('TOO_MANY_REQUESTS',
        `The server is parsing as many long statements as it queues (${this.options.queueSize}, ${PARSE_POOL_PROPERTIES.queueSize}): try again later.`));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ text, options, resolve, reject });
      this.dispatch();
    });
  }

  /** Texts waiting for a thread. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Ends the threads; waiting and running parses fail, later ones run in process. */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = new KsqlError('SERVER_SHUTTING_DOWN', 'The server is shutting down.');
    for (const job of this.waiting.splice(0)) job.reject(stopping);
    const threads = [...this.threads];
    this.threads.clear();
    for (const thread of threads) this.settle(thread, (job) => job.reject(stopping));
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private spawn(): void {
    // One megabyte of stack, as the main thread has: a text nests as deep in a thread as in process before it is refused.
    const worker = new Worker(WORKER_URL, { resourceLimits: { stackSizeMb: 1 } });
    worker.unref();
    const thread: Thread = { worker, ready: false };
    this.threads.add(thread);
    worker.on('message', (message: ParseReply | { ready: true }) => {
      if ('ready' in message) {
        thread.ready = true;
      } else if (thread.running?.id === message.id) {
        // The caller goes on in a later turn than this one, which took the AST's deserialization.
        this.settle(thread, (job) => setImmediate(() => ('error' in message ? job.reject(parseError(message.error)) : job.resolve(message.statements))));
      }
      this.dispatch();
    });
    worker.on('error', (error) => log.error({ err: error }, 'a parse thread failed'));
    worker.on('exit', (code) => {
      if (!this.threads.delete(thread)) return;
      this.settle(thread, (job) => job.reject(new KsqlError('SERVER_ERROR', `The parse thread stopped (exit code ${code}).`)));
      // A thread that never became ready would fail again: the pool parses in process from then on.
      if (thread.ready) this.spawn();
      else log.error({ code }, 'a parse thread could not start: statements are parsed in process');
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const thread of this.threads) {
      if (this.waiting.length === 0) return;
      if (!thread.ready || thread.running !== undefined) continue;
      const job = this.waiting.shift()!;
      const id = this.nextId++;
      const timer = setTimeout(() => this.abandon(thread), this.options.timeoutMs);
      thread.running = { id, job, timer };
      thread.worker.postMessage({ id, text: job.text, options: job.options });
    }
    if (this.threads.size === 0) {
      for (const job of this.waiting.splice(0)) IN_PROCESS_PARSER.parse(job.text, job.options).then(job.resolve, job.reject);
    }
  }

  /** A parse ran too long: its thread goes, a new one takes its place. */
  private abandon(thread: Thread): void {
    this.threads.delete(thread);
    this.settle(thread, (job) => job.reject(new KsqlError('BAD_REQUEST',
      `The statement text took longer than ${this.options.timeoutMs} ms to parse (${PARSE_POOL_PROPERTIES.timeoutMs}).`)));
    void thread.worker.terminate();
    if (!this.closed) this.spawn();
  }

  private settle(thread: Thread, outcome: (job: Job) => void): void {
    const running = thread.running;
    if (running === undefined) return;
    thread.running = undefined;
    clearTimeout(running.timer);
    outcome(running.job);
  }
}

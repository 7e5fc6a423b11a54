/**
 * PRINT: reads a topic of the log from every partition and hands out one
 * text line per record (see record-formatter.ts), independent of HTTP. It
 * starts at each partition's end, or its beginning with FROM BEGINNING (or
 * when the caller's `auto.offset.reset` is earliest); INTERVAL n keeps every
 * n-th record read, LIMIT n ends it after n lines. Like a transient query it
 * runs on the engine's scheduler, a bounded batch per turn, and a slow client
 * pauses it.
 *
 * /query also gets ksqlDB's `Key format: ...` and `Value format: ...` lines,
 * before the first records and again whenever a batch narrows the guess, and
 * an empty line when nothing arrived for a while (the CLI skips it).
 */
import type { ConsumedRecord, FetchResult } from '../broker/broker.js';
import type { TaskLog } from '../broker/task-log.js';
import type { TopicStore } from '../broker/topic-store.js';
import { andThen, isPromise, type MaybeAsync } from '../common/maybe-async.js';
import { KsqlError } from '../common/errors.js';
import type { SchemaRegistryClient } from '../formats/index.js';
import { parseStatements } from '../parser/index.js';
import { withVariables } from './session.js';
import type { StatementParser } from '../parser/parse-pool.js';
import type { PrintTopic, Statement } from '../parser/ast/statement.js';
import type { SchedulableTask } from '../runtime/scheduler.js';
import type { TaskHost } from '../runtime/transient-query.js';
import type { RunningPrint } from './running-print.js';
import type { EnginePorts } from './engine-ports.js';
import type { QueryRequest } from './prepared-query.js';
import { RecordFormatter } from './record-formatter.js';

export interface PrintOptions {
  /** Where each partition starts without FROM BEGINNING (the consumer's `auto.offset.reset`). */
  readonly offsetReset: 'earliest' | 'latest';
  /** Whether to write the `Key format:` / `Value format:` lines (ksqlDB's /query). */
  readonly formatLines: boolean;
  /** Writes an empty line after this long without records (the /query keep-alive); undefined: never. */
  readonly idleLineMs?: number;
}

export type PrintEnd =
  | { readonly kind: 'limit' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'failed'; readonly error: unknown };

/** Where PRINT's lines go. */
export interface PrintSink {
  /** One line, without its line break. */
  line(text: string): void;
  /** Called once, when printing ends for any reason. */
  end(end: PrintEnd): void;
}

/**
 * PRINT after any whitespace and comments. A comment ends at its first `*\/`
 * (a lazy `[\s\S]*?` could end at any later one too, and trying every way to
 * split `/**\/` repeated 30 times takes the event loop for seconds).
 */
const LEADS_WITH_PRINT = /^(?:\s|--[^\n]*(?:\n|$)|\/\*(?:[^*]|\*(?!\/))*\*\/)*PRINT\b/i;

/** Records read per turn, as a Kafka consumer's max.poll.records. */
const MAX_POLL_RECORDS = 500;

/**
 * The PRINT statement a query request holds, or undefined when it holds
 * anything else (left to prepareQuery, which reports it). Only text that
 * starts with PRINT is parsed here.
 */
export function parsePrintRequest(ports: Pick<EnginePorts, 'config'>, request: QueryRequest): PrintTopic | undefined {
  const text = printText(ports, request);
  return text === undefined ? undefined : printStatement(parseStatements(text, { limits: ports.config.parseLimits }));
}

/** parsePrintRequest with the parse left to `parser` (the server's takes long texts off the event loop); at once for text that is no PRINT. */
export function parsePrintRequestWith(ports: Pick<EnginePorts, 'config'>, request: QueryRequest, parser: StatementParser): MaybeAsync<PrintTopic | undefined> {
  const text = printText(ports, request);
  return text === undefined ? undefined : parser.parse(text, { limits: ports.config.parseLimits }).then(printStatement);
}

function printText(ports: Pick<EnginePorts, 'config'>, request: QueryRequest): string | undefined {
  if (!LEADS_WITH_PRINT.test(request.sql)) return undefined;
  return withVariables(request.sql, request.variables, ports.config.withOverrides(request.properties));
}

function printStatement(statements: readonly Statement[]): PrintTopic | undefined {
  const statement = statements[0];
  if (statements.length !== 1 || statement?.kind !== 'PrintTopic') return undefined;
  if (statement.interval !== undefined && statement.interval < 1) {
    throw new KsqlError('BAD_STATEMENT', `INTERVAL must be at least 1, but was ${statement.interval}.`);
  }
  return statement;
}

/** The topics whose names differ from `name` only in case: ksqlDB suggests them when `name` does not exist. */
export function topicsLike(ports: Pick<EnginePorts, 'log'>, name: string): string[] {
  const upper = name.toUpperCase();
  return ports.log.topics.listTopics().filter((t) => t !== name && t.toUpperCase() === upper);
}

/** Starts printing `statement.topic`, which must exist. */
export function startPrint(ports: Pick<EnginePorts, 'catalog' | 'log' | 'runner'>, statement: PrintTopic, options: PrintOptions, sink: PrintSink): RunningPrint {
  const printer = new TopicPrinter(ports.log, ports.catalog.schemaRegistry, statement, options, {
    line: (text) => sink.line(text),
    end: (end) => {
      ports.runner.forgetPrint(printer);
      sink.end(end);
    },
  });
  ports.runner.registerPrint(printer);
  printer.start(ports.runner.scheduler);
  return printer;
}

class TopicPrinter implements SchedulableTask, RunningPrint {
  readonly topic: string;
  /** All of them: one reader polls every partition in turn. */
  readonly partition = -1;
  private readonly log: TaskLog;
  private readonly statement: PrintTopic;
  private readonly options: PrintOptions;
  private readonly sink: PrintSink;
  private readonly formatter: RecordFormatter;
  private readonly positions: number[];
  private readonly interval: number;
  private host: TaskHost | undefined;
  private nextPartition = 0;
  private polled = 0;
  private written = 0;
  private lastActivity = Date.now();
  private shownKeyFormats: string | undefined;
  private shownValueFormats: string | undefined;
  private paused = false;
  private ended = false;

  constructor(
    log: { readonly topics: TopicStore; readonly taskLog: TaskLog }, registry: SchemaRegistryClient | undefined, statement: PrintTopic, options: PrintOptions, sink: PrintSink,
  ) {
    this.log = log.taskLog;
    this.formatter = new RecordFormatter(registry);
    this.topic = statement.topic;
    this.statement = statement;
    this.options = options;
    this.sink = sink;
    this.interval = statement.interval ?? 1;
    const fromStart = statement.fromBeginning || options.offsetReset === 'earliest';
    this.positions = log.topics.describeTopic(this.topic).partitions
      .map((p) => (fromStart ? p.logStartOffset : p.logEndOffset));
  }

  start(host: TaskHost): void {
    this.host = host;
    if (this.statement.limit === 0) {
      this.finish({ kind: 'limit' });
      return;
    }
    host.add(this);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.lastActivity = Date.now();
    this.host?.wake();
  }

  close(): void {
    this.finish({ kind: 'closed' });
  }

  fail(error: unknown): void {
    this.finish({ kind: 'failed', error });
  }

  /** What throws or rejects here (a corrupt batch) ends the PRINT through `fail`. */
  poll(maxRecords: number): MaybeAsync<number> {
    if (this.ended || this.paused) return 0;
    return andThen(this.read(Math.min(maxRecords, MAX_POLL_RECORDS)), (batch) => {
      // Ended while a fetch was answering: what it read is not printed.
      if (this.ended) return 0;
      if (batch.length === 0) {
        this.keepAlive();
        return 0;
      }
      this.lastActivity = Date.now();
      this.print(batch);
      return batch.length;
    });
  }

  /** Up to `max` records, the partitions taking turns to go first; the task log's fetch clamps a position below the log start. */
  private read(max: number): MaybeAsync<ConsumedRecord[]> {
    const batch: ConsumedRecord[] = [];
    const count = this.positions.length;
    const first = this.nextPartition;
    this.nextPartition = count === 0 ? 0 : (first + 1) % count;
    const readFrom = (turn: number): MaybeAsync<ConsumedRecord[]> => {
      for (let i = turn; i < count && batch.length < max; i++) {
        const p = (first + i) % count;
        const position = this.positions[p]!;
        if (position >= this.log.latestOffset(this.topic, p)) continue;
        const fetched = this.log.fetch(this.topic, p, position, { maxRecords: max - batch.length });
        const take = ({ records, nextOffset }: FetchResult): void => {
          this.positions[p] = nextOffset;
          for (const record of records) batch.push(record);
        };
        if (isPromise(fetched)) {
          return fetched.then((result) => {
            take(result);
            return readFrom(i + 1);
          });
        }
        take(fetched);
      }
      return batch;
    };
    return readFrom(0);
  }

  /** Formats the whole batch (it all counts for the format guess), then writes what INTERVAL and LIMIT let through. */
  private print(batch: readonly ConsumedRecord[]): void {
    const lines = this.formatter.formatBatch(batch);
    const kept: string[] = [];
    const limit = this.statement.limit;
    for (const line of lines) {
      if (this.polled++ % this.interval === 0) {
        this.written++;
        kept.push(line);
      }
      if (limit !== undefined && this.written >= limit) break;
    }
    if (this.options.formatLines) this.printFormats();
    for (const line of kept) this.sink.line(line);
    if (limit !== undefined && this.written >= limit) this.finish({ kind: 'limit' });
  }

  private printFormats(): void {
    const keys = this.formatter.possibleKeyFormats();
    const values = this.formatter.possibleValueFormats();
    const keyText = describeFormats(keys);
    if (keyText !== this.shownKeyFormats) {
      this.shownKeyFormats = keyText;
      this.sink.line(`Key format: ${keyText}`);
    }
    const valueText = describeFormats(values);
    if (valueText !== this.shownValueFormats) {
      this.shownValueFormats = valueText;
      this.sink.line(`Value format: ${valueText}`);
    }
  }

  private keepAlive(): void {
    const every = this.options.idleLineMs;
    if (every === undefined) return;
    const now = Date.now();
    if (now - this.lastActivity < every) return;
    this.lastActivity = now;
    this.sink.line('');
  }

  private finish(end: PrintEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.host?.remove(this);
    this.sink.end(end);
  }
}

/** ksqlDB's words for the possible formats: joined by " or ", or why there is none. */
function describeFormats(formats: readonly string[]): string {
  // ksqlDB prints the prefix and then this sentence with its own leading space.
  return formats.length === 0
    ? ' does not match any supported format. It may be a STRING with encoding other than UTF8, or some other format.'
    : formats.join(' or ');
}

/**
 * A persistent query as the engine runs it: what it reads and writes, its
 * tasks, its state (RUNNING, ERROR or PAUSED) and the errors that stopped it.
 *
 * PAUSE stops its tasks (on every server, as each applies the command) and
 * RESUME builds them afresh: as after a failure, they start from the
 * committed offsets, so what a task processed but had not committed is
 * processed again, once. A paused query is not retried; PAUSED shows over
 * ERROR, as in ksqlDB.
 *
 * An error its operators do not route to the processing log (a bug, a store
 * or commit failure, a corrupt batch) stops every task of the query, their
 * uncommitted work discarded, and puts it in ERROR with one log line. As
 * ksqlDB does, the query is retried after `ksql.query.retry.backoff.initial.ms`,
 * each further failure doubling the wait up to `ksql.query.retry.backoff.max.ms`:
 * a retry builds its tasks afresh from the committed offsets and shows
 * RUNNING again; when the log's storage takes writes again after refusing
 * them (a full disk), the engine has it retry at once (`retryNow`). A
 * restart of the server starts it normally. Tasks that cannot be built yet
 * (`TasksNotReady`: topics a remote log is still creating) are built as soon
 * as they can, the query RUNNING meanwhile. A task whose producer was fenced
 * (a newer owner of its transactional id, on a Kafka cluster: another server
 * runs it now) stops the query in ERROR without a retry, as a retry here would
 * fence that owner in turn.
 *
 * Given a group (on a Kafka cluster), the query runs as one member of it
 * across the servers of its service id: it builds only the tasks the group
 * assigns this server, commits and closes those it revokes, and is RUNNING
 * also while it has none. For the tasks the group gives this server as
 * standbys it runs standby tasks (standby-task.ts), which keep the tasks'
 * stores caught up with their changelogs; a standby that becomes active
 * here stops first, and the active task then restores only the tail from
 * its checkpoints. Stopping or failing leaves the group; a graceful stop
 * (`stopGracefully`, at a server's stop) first commits what the tasks
 * processed.
 */
import { isBrokerError } from '../broker/index.js';
import { createLogger, type Logger } from '../common/logger.js';
import type { QueryStatistics } from '../runtime/query-statistics.js';
import type { Scheduler } from '../runtime/scheduler.js';
import type { StandbyTask } from '../runtime/standby-task.js';
import type { StreamTask } from '../runtime/task.js';
import type { Command } from './commands.js';
import type { QueryGroupMember, QueryGroups, QueryTaskAssignment } from './query-groups.js';
import { toQueryError, type QueryError } from './query-error.js';
import { RetryBackoff } from './retry-backoff.js';

export type QueryState = 'RUNNING' | 'ERROR' | 'PAUSED';

/** What `createTasks` throws when the tasks can be built only once `ready` settles (topics a remote log is creating). */
export class TasksNotReady extends Error {
  constructor(message: string, readonly ready: Promise<unknown>) {
    super(message);
    this.name = 'TasksNotReady';
  }
}

export interface PersistentQueryOptions {
  readonly id: string;
  readonly statementText: string;
  readonly sinkName: string;
  readonly sinkTopic: string;
  readonly sourceNames: readonly string[];
  /** Repartition topics the query owns; `createTasks` adds those it creates. */
  readonly internalTopics: ReadonlySet<string>;
  readonly command: Extract<Command, { kind: 'CreateQuery' }>;
  /** What its tasks consumed, produced and failed on, kept across retries. */
  readonly statistics: QueryStatistics;
  readonly scheduler: Pick<Scheduler, 'add' | 'remove'>;
  /**
   * Builds the query's tasks afresh (those of `only`, when given), each at its
   * committed offsets; a task calls `onFailure` with what stopped it.
   */
  readonly createTasks: (onFailure: (error: unknown) => void, only?: ReadonlySet<string>) => StreamTask[];
  /**
   * Builds standby tasks for the tasks `ids` (none where the log keeps no
   * changelogs); a standby calls `onFailure` with what stopped it.
   */
  readonly createStandbyTasks?: (onFailure: (error: unknown) => void, ids: ReadonlySet<string>) => StandbyTask[];
  /** Where the servers of the service id share the query's tasks: its group id, every task id, and the groups. */
  readonly group?: { readonly id: string; readonly taskIds: () => string[]; readonly groups: QueryGroups };
  readonly retryBackoffInitialMs: number;
  readonly retryBackoffMaxMs: number;
  /** How many of the latest errors the query keeps (ksqlDB's ksql.query.error.max.queue.size). */
  readonly maxErrors: number;
}

export class PersistentQuery {
  readonly id: string;
  readonly statementText: string;
  readonly sinkName: string;
  readonly sinkTopic: string;
  readonly sourceNames: readonly string[];
  readonly command: Extract<Command, { kind: 'CreateQuery' }>;
  readonly statistics: QueryStatistics;
  private readonly options: PersistentQueryOptions;
  private readonly log: Logger;
  private current: readonly StreamTask[] = [];
  /** The standby tasks this server runs for the query (each on the scheduler). */
  private standbys: readonly StandbyTask[] = [];
  /** Whether `current` is on the scheduler. */
  private running = false;
  private currentState: 'RUNNING' | 'ERROR' = 'RUNNING';
  private paused = false;
  private readonly recentErrors: QueryError[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly backoff: RetryBackoff;
  private retries = 0;
  private stopped = false;
  /** Counts the runs begun, so a deferred start that an earlier run left behind does nothing. */
  private runs = 0;
  /** The current run's membership of its group (joining, or joined). */
  private member: Promise<QueryGroupMember> | undefined;
  /** The group's latest assignment heard by the current run. */
  private latestAssignment: QueryTaskAssignment | undefined;

  constructor(options: PersistentQueryOptions) {
    this.options = options;
    this.id = options.id;
    this.statementText = options.statementText;
    this.sinkName = options.sinkName;
    this.sinkTopic = options.sinkTopic;
    this.sourceNames = options.sourceNames;
    this.command = options.command;
    this.statistics = options.statistics;
    this.log = createLogger('query', { queryId: options.id });
    this.backoff = new RetryBackoff(options.retryBackoffInitialMs, options.retryBackoffMaxMs);
  }

  /** Repartition topics the query owns. */
  get internalTopics(): readonly string[] {
    return [...this.options.internalTopics];
  }

  /** The tasks of the current run (in ERROR, those of the run that failed, stopped). */
  get tasks(): readonly StreamTask[] {
    return this.current;
  }

  /** The standby tasks of the current run. */
  get standbyTasks(): readonly StandbyTask[] {
    return this.standbys;
  }

  get state(): QueryState {
    return this.paused ? 'PAUSED' : this.currentState;
  }

  /** The latest errors, oldest first. */
  get errors(): readonly QueryError[] {
    return this.recentErrors;
  }

  /**
   * Where the query's group last said each of its tasks runs (which server,
   * by URL, runs it actively and which keep standbys); undefined without a
   * group, and while this server is no member (joining, or stopped).
   */
  get assignment(): QueryTaskAssignment | undefined {
    return this.latestAssignment;
  }

  /** Starts the tasks; throws when they cannot be built, leaving nothing scheduled. */
  start(): void {
    this.run();
  }

  /**
   * Starts the tasks or, when they cannot be built (a logged plan this server
   * cannot run), puts the query in ERROR to be retried like any failure and
   * returns that error.
   */
  startOrFail(): unknown {
    try {
      this.run();
      return undefined;
    } catch (error) {
      this.fail(error);
      return error;
    }
  }

  /** Stops the query for good (TERMINATE, DROP, engine close): its tasks, its group membership, and a retry it waits for. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.stopTasks();
  }

  /**
   * Stops the query for good at a server's graceful stop: its tasks commit
   * what they processed and close, its standbys stop, and only then does it
   * leave its group, so whoever runs a task next starts exactly where it
   * stopped. A commit that fails (the task was fenced) is logged: what it
   * held is processed again by the next owner.
   */
  async stopGracefully(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const member = this.member;
    this.member = undefined;
    const tasks = this.running ? this.current : [];
    this.running = false;
    for (const task of tasks) this.options.scheduler.remove(task);
    const processed = tasks.map((task) => ({ taskId: task.taskId, offsets: task.processedOffsets }));
    const committed = await Promise.allSettled(tasks.map((task) => task.commitAndClose()));
    committed.forEach((result, i) => {
      if (result.status === 'rejected') this.log.warn({ err: result.reason, taskId: tasks[i]!.taskId }, 'a task could not commit before the server stopped');
    });
    if (tasks.length > 0) this.log.info({ tasks: processed }, 'query tasks committed what they processed and closed before leaving the group');
    await this.stopStandbys(this.standbys);
    await member?.then((m) => m.leave(), () => undefined).catch((error: unknown) => this.log.warn({ err: error }, 'leaving the query group failed'));
  }

  /** PAUSE: stops the tasks (and a retry it waits for) until RESUME. */
  pause(): void {
    if (this.stopped || this.paused) return;
    this.paused = true;
    // A start deferred by the current run (tasks not ready yet) is not to happen now.
    this.runs++;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.stopTasks();
    this.log.info('query paused');
  }

  /** RESUME: builds the tasks again from the committed offsets (a query that cannot start goes to ERROR, retried). */
  resume(): void {
    if (this.stopped || !this.paused) return;
    this.paused = false;
    this.log.info('query resumed');
    this.startOrFail();
  }

  /** In ERROR waiting for a retry: retries now (what stopped it has gone away). */
  retryNow(): void {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retry();
  }

  private run(): void {
    const run = ++this.runs;
    let tasks: StreamTask[];
    try {
      if (this.options.group !== undefined) {
        this.joinGroup(run, this.options.group);
        return;
      }
      tasks = this.options.createTasks((error) => this.fail(error));
    } catch (error) {
      if (!(error instanceof TasksNotReady)) throw error;
      this.current = [];
      this.currentState = 'RUNNING';
      this.log.info({ reason: error.message }, 'query tasks start once they can be built');
      error.ready.then(() => this.runAgain(run), (cause: unknown) => {
        if (run === this.runs && !this.stopped) this.fail(cause);
      });
      return;
    }
    this.current = tasks;
    this.running = true;
    this.currentState = 'RUNNING';
    for (const task of tasks) this.options.scheduler.add(task);
    this.log.debug({ tasks: tasks.map((t) => t.taskId) }, 'query tasks started');
  }

  /** Joins the group with every task of the query; the group's callbacks then start and stop this server's share. */
  private joinGroup(run: number, group: NonNullable<PersistentQueryOptions['group']>): void {
    const taskIds = group.taskIds();
    this.current = [];
    this.running = true;
    this.currentState = 'RUNNING';
    const current = (): boolean => run === this.runs && this.running && !this.stopped;
    const member = group.groups.join(group.id, taskIds, {
      onAssignment: async (assignment) => {
        if (!current()) return;
        this.latestAssignment = assignment;
        // A standby that is now active here closes its stores before the active task opens them.
        const keep = new Set(assignment.standby);
        await this.stopStandbys(this.standbys.filter((standby) => !keep.has(standby.taskId)));
        if (current()) await this.addTasks(assignment.active, current);
        if (current()) await this.addStandbys(assignment.standby, assignment.active, current);
      },
      onRevoke: async (tasks) => {
        if (current()) await this.revokeTasks(tasks);
      },
      onError: (error) => {
        if (current()) this.fail(error);
      },
    });
    this.member = member;
    member.catch((error: unknown) => {
      if (current()) this.fail(error);
    });
    this.log.debug({ group: group.id, tasks: taskIds }, 'query joins its group');
  }

  /** Builds and schedules the assigned tasks this server does not run yet (waiting for topics still being created). */
  private async addTasks(active: readonly string[], current: () => boolean): Promise<void> {
    for (;;) {
      const have = new Set(this.current.map((task) => task.taskId));
      const missing = new Set(active.filter((id) => !have.has(id)));
      if (missing.size === 0) return;
      let tasks: StreamTask[];
      try {
        tasks = this.options.createTasks((error) => this.fail(error), missing);
      } catch (error) {
        if (!(error instanceof TasksNotReady)) throw error;
        await error.ready;
        if (!current()) return;
        continue;
      }
      this.current = [...this.current, ...tasks];
      for (const task of tasks) this.options.scheduler.add(task);
      this.log.info({ tasks: tasks.map((t) => t.taskId) }, 'query tasks assigned to this server started');
      return;
    }
  }

  /** Builds and schedules the standby tasks assigned that this server does not run yet (waiting for topics still being created). */
  private async addStandbys(standby: readonly string[], active: readonly string[], current: () => boolean): Promise<void> {
    const { createStandbyTasks } = this.options;
    if (createStandbyTasks === undefined) return;
    for (;;) {
      const have = new Set([...this.standbys.map((task) => task.taskId), ...active]);
      const missing = new Set(standby.filter((id) => !have.has(id)));
      if (missing.size === 0) return;
      let standbys: StandbyTask[];
      try {
        standbys = createStandbyTasks((error) => this.fail(error), missing);
      } catch (error) {
        if (!(error instanceof TasksNotReady)) throw error;
        await error.ready;
        if (!current()) return;
        continue;
      }
      this.standbys = [...this.standbys, ...standbys];
      for (const task of standbys) this.options.scheduler.add(task);
      if (standbys.length > 0) this.log.info({ tasks: standbys.map((t) => t.taskId) }, 'standby tasks started: they keep the stores of these tasks up to date');
      return;
    }
  }

  /** Takes `leaving` off the scheduler and closes them (their stores and checkpoints stay). */
  private async stopStandbys(leaving: readonly StandbyTask[]): Promise<void> {
    if (leaving.length === 0) return;
    const gone = new Set(leaving);
    this.standbys = this.standbys.filter((standby) => !gone.has(standby));
    for (const standby of leaving) this.options.scheduler.remove(standby);
    await Promise.all(leaving.map((standby) => standby.close()));
    this.log.info({ tasks: leaving.map((t) => t.taskId) }, 'standby tasks stopped');
  }

  /** Takes the revoked tasks off the scheduler, commits what they processed and closes them. */
  private async revokeTasks(revoked: readonly string[]): Promise<void> {
    const leaving = new Set(revoked);
    const tasks = this.current.filter((task) => leaving.has(task.taskId));
    this.current = this.current.filter((task) => !leaving.has(task.taskId));
    for (const task of tasks) this.options.scheduler.remove(task);
    await Promise.all(tasks.map((task) => task.commitAndClose()));
    this.log.info({ tasks: revoked }, 'query tasks revoked from this server');
  }

  /** Stops every task of the run, records the error once and waits for the retry. */
  private fail(error: unknown): void {
    if (this.stopped || this.paused) return;
    this.stopTasks();
    this.currentState = 'ERROR';
    const queryError = toQueryError(error, Date.now());
    this.recentErrors.push(queryError);
    while (this.recentErrors.length > Math.max(this.options.maxErrors, 0)) this.recentErrors.shift();
    if (isFenced(error)) {
      this.log.error({ err: error, type: queryError.type }, 'query stopped: another owner of its task fenced it; it is not retried on this server');
      return;
    }
    const delay = this.backoff.next();
    this.log.error({ err: error, type: queryError.type, retryInMs: delay }, 'query failed; it stays in ERROR until its retry');
    this.retryTimer = setTimeout(() => this.retry(), delay);
    this.retryTimer.unref();
  }

  /** Builds the tasks whose run `run` had to wait, unless the query stopped or ran again meanwhile. */
  private runAgain(run: number): void {
    if (run !== this.runs || this.stopped) return;
    try {
      this.run();
    } catch (error) {
      this.fail(error);
    }
  }

  private retry(): void {
    this.retryTimer = undefined;
    if (this.stopped) return;
    this.retries++;
    this.log.info({ attempt: this.retries }, 'restarting query');
    try {
      this.run();
    } catch (error) {
      this.fail(error);
    }
  }

  private stopTasks(): void {
    const member = this.member;
    this.member = undefined;
    this.latestAssignment = undefined;
    // Its tasks close below without a commit, so its revocation finds none left to commit.
    member?.then((m) => m.leave(), () => undefined).catch((error: unknown) => this.log.warn({ err: error }, 'leaving the query group failed'));
    this.stopStandbys(this.standbys).catch((error: unknown) => this.log.warn({ err: error }, 'closing the standby tasks failed'));
    if (!this.running) return;
    this.running = false;
    for (const task of this.current) {
      this.options.scheduler.remove(task);
      task.close();
    }
  }
}

/** Whether the failure, or one of its causes, is a producer fenced by a newer owner. */
function isFenced(error: unknown): boolean {
  let cause = error;
  for (let depth = 0; depth < 10 && cause instanceof Error; depth++, cause = cause.cause) {
    if (isBrokerError(cause, 'PRODUCER_FENCED')) return true;
  }
  return false;
}

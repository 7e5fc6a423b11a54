/**
 * The shell's session: what it keeps between statements (query properties,
 * variables, the output format, the spool file) and how it runs one
 * statement: client commands here, SELECT on /query-stream, PRINT on /query,
 * everything else on /ksql. Statements report success or failure so scripts can stop at the
 * first failure and set the exit code.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { substituteVariables } from '../parser/substitute-variables.js';
import { HELP_TEXT, parseClientCommand, type ClientCommand } from './client-command.js';
import type { NameCatalog } from './completion.js';
import { ConnectionError, type Entity, type KsqlClient, type RequestState, type ServerError } from './ksql-client.js';
import { renderEntity, renderVariables } from './render-entity.js';
import { renderError } from './render-error.js';
import { RowPrinter, type OutputFormat } from './row-printer.js';
import { isBlank, splitStatements } from './split-statements.js';

export interface ShellIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Stdout's width when it is a terminal. */
  readonly columns: () => number | undefined;
  /** Whether errors may be coloured. */
  readonly color: boolean;
  /** Whether a person is at the keyboard (the interactive shell on a terminal). */
  readonly interactive: boolean;
}

export type StatementOutcome = 'ok' | 'failed' | 'exit';

export class Shell {
  readonly properties = new Map<string, string>();
  /** Variables by upper-case name, with the name as it was defined. */
  readonly variables = new Map<string, { name: string; value: string }>();
  format: OutputFormat = 'TABULAR';
  /** ksqlDB CLI's --query-row-limit and --query-timeout: a query's output ends after this many rows, or milliseconds. */
  queryLimits: { readonly rows?: number; readonly timeoutMs?: number } = {};
  private spoolFd: number | undefined;
  private running: AbortController | undefined;

  constructor(
    readonly client: KsqlClient,
    private readonly io: ShellIo,
    private readonly catalog?: NameCatalog,
  ) {}

  /** Cancels the running query, if any; false when none runs. */
  cancelQuery(): boolean {
    if (this.running === undefined) return false;
    this.running.abort();
    return true;
  }

  get queryRunning(): boolean {
    return this.running !== undefined;
  }

  /** Runs every statement of a text (a script, `-e`), stopping at the first failure or EXIT. */
  async runText(text: string): Promise<StatementOutcome> {
    const { statements, rest } = splitStatements(text);
    if (!isBlank(rest)) statements.push(rest.trim());
    for (const statement of statements) {
      const outcome = await this.runStatement(statement);
      if (outcome !== 'ok') return outcome;
    }
    return 'ok';
  }

  async runStatement(statement: string): Promise<StatementOutcome> {
    this.spool(`ksql> ${statement}\n`);
    try {
      // the server substitutes variables in its statements; the shell does it in its own
      const command = parseClientCommand(substituteVariables(statement, this.requestState().variables));
      if (command !== undefined) return await this.runClientCommand(command);
      if (/^\s*PRINT\b/i.test(statement)) return await this.runPrint(statement);
      if (/^\s*SELECT\b/i.test(statement)) return await this.runQuery(statement);
      return await this.runOnServer(statement);
    } catch (error) {
      if (error instanceof ConnectionError) this.error(error.message);
      else this.error(`Error: ${(error as Error).message}`);
      return 'failed';
    }
  }

  async runClientCommand(command: ClientCommand): Promise<StatementOutcome> {
    switch (command.kind) {
      case 'set': {
        const refused = await this.client.checkProperty(command.name);
        if (refused !== undefined) return this.failed(refused);
        const before = this.properties.get(command.name);
        this.properties.set(command.name, command.value);
        this.print(before === undefined
          ? `Successfully changed local property '${command.name}' to '${command.value}'. Use the UNSET command to revert your change.`
          : `Successfully changed local property '${command.name}' from '${before}' to '${command.value}'.`);
        return 'ok';
      }
      case 'unset': {
        const before = this.properties.get(command.name);
        if (before === undefined) {
          this.print(`Local property '${command.name}' was not set; nothing to unset.`);
          return 'ok';
        }
        this.properties.delete(command.name);
        this.print(`Successfully unset local property '${command.name}' (value was '${before}').`);
        return 'ok';
      }
      case 'define':
        this.define(command.name, command.value);
        return 'ok';
      case 'undefine':
        if (!this.variables.delete(command.name.toUpperCase())) this.print(`Cannot undefine variable '${command.name}' which was never defined.`);
        return 'ok';
      case 'show-variables': {
        const listed = this.listedVariables();
        this.print(this.format === 'JSON' ? JSON.stringify(listed, null, 2) : renderVariables(listed));
        return 'ok';
      }
      case 'run-script':
        return this.runScript(command.path);
      case 'spool':
        this.setSpool(command.path);
        return 'ok';
      case 'output':
        if (command.format === undefined) this.print(`Output format: ${this.format}`);
        else {
          this.format = command.format;
          this.print(`Output format set to ${this.format}`);
        }
        return 'ok';
      case 'help':
        this.print(HELP_TEXT);
        return 'ok';
      case 'exit':
        return 'exit';
    }
  }

  private async runScript(path: string): Promise<StatementOutcome> {
    let text: string;
    try {
      text = readFileSync(resolve(path), 'utf8');
    } catch (error) {
      this.error(`Cannot read the script '${path}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return 'failed';
    }
    const outcome = await this.runText(text);
    return outcome === 'exit' ? 'ok' : outcome;
  }

  private async runOnServer(statement: string): Promise<StatementOutcome> {
    const result = await this.client.execute(statement, this.requestState());
    if (result.kind === 'error') {
      for (const entity of result.error.entities ?? []) this.printEntity(entity);
      return this.failed(result.error, statement);
    }
    for (const entity of result.entities) this.printEntity(entity);
    if (this.catalog !== undefined && /^\s*(CREATE|DROP|ALTER)\b/i.test(statement)) await this.catalog.refresh(this.client);
    return 'ok';
  }

  private async runQuery(statement: string): Promise<StatementOutcome> {
    const controller = new AbortController();
    this.running = controller;
    const printer = new RowPrinter((text) => this.write(text), this.format, this.io.columns());
    let isPush = false;
    let rows = 0;
    const { rows: rowLimit, timeoutMs } = this.queryLimits;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(), timeoutMs);
    try {
      const outcome = await this.client.streamQuery(statement, this.requestState(), {
        onHeader: (header) => {
          isPush = header.queryId !== undefined;
          printer.header(header);
          if (isPush && this.io.interactive) this.io.out('Press CTRL-C to interrupt\n');
        },
        onRow: (row) => {
          if (controller.signal.aborted) return;
          printer.row(row);
          if (++rows === rowLimit) controller.abort();
        },
      }, controller.signal);
      if (outcome.kind === 'error') {
        printer.end();
        return this.failed(outcome.error, statement);
      }
      printer.end();
      if (outcome.kind === 'completed' && isPush && /\bLIMIT\s+\d+/i.test(statement)) this.print('Limit Reached');
      this.print('Query terminated');
      return 'ok';
    } finally {
      clearTimeout(timer);
      this.running = undefined;
    }
  }

  /** PRINT: the server's lines as they come, until its LIMIT or CTRL-C, then ksqlDB's closing words. */
  private async runPrint(statement: string): Promise<StatementOutcome> {
    const controller = new AbortController();
    this.running = controller;
    try {
      const outcome = await this.client.streamPrint(statement, this.requestState(), {
        onStart: () => {
          if (this.io.interactive) this.io.out('Press CTRL-C to interrupt\n');
        },
        onLine: (line) => this.print(line),
      }, controller.signal);
      if (outcome.kind === 'error') return this.failed(outcome.error, statement);
      this.print('Topic printing ceased');
      return 'ok';
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Defines a variable as ksqlDB's shell does (a case-insensitive TreeMap):
   * a name defined again keeps the spelling it was first defined with.
   */
  define(name: string, value: string): void {
    const known = this.variables.get(name.toUpperCase());
    this.variables.set(name.toUpperCase(), { name: known?.name ?? name, value });
  }

  /** The variables as SHOW VARIABLES lists them: by name, ignoring case (Java's String.CASE_INSENSITIVE_ORDER). */
  private listedVariables(): { name: string; value: string }[] {
    const order = (v: { name: string }): string => v.name.toUpperCase().toLowerCase();
    return [...this.variables.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  }

  private requestState(): RequestState {
    return {
      properties: Object.fromEntries(this.properties),
      variables: Object.fromEntries([...this.variables.values()].map((v) => [v.name, v.value])),
    };
  }

  private printEntity(entity: Entity): void {
    if (this.format === 'JSON') this.print(JSON.stringify(entity, null, 2));
    else {
      const text = renderEntity(entity);
      if (text !== '') this.print(text);
    }
  }

  private failed(error: ServerError, statement?: string): StatementOutcome {
    this.error(this.format === 'JSON' ? JSON.stringify(error, null, 2) : renderError(error, statement));
    return 'failed';
  }

  print(text: string): void {
    this.write(`${text}\n`);
  }

  private write(text: string): void {
    this.io.out(text);
    this.spool(text);
  }

  private error(text: string): void {
    this.io.err(this.io.color ? `\u001b[31m${text}\u001b[0m\n` : `${text}\n`);
    this.spool(`${text}\n`);
  }

  private setSpool(path: string | undefined): void {
    if (this.spoolFd !== undefined) {
      closeSync(this.spoolFd);
      this.spoolFd = undefined;
    }
    if (path !== undefined) {
      this.spoolFd = openSync(resolve(path), 'a');
      this.print(`Session will be spooled to ${resolve(path)}`);
    }
  }

  private spool(text: string): void {
    if (this.spoolFd !== undefined) writeSync(this.spoolFd, text);
  }

  close(): void {
    this.setSpool(undefined);
  }
}


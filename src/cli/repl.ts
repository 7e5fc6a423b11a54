/**
 * The interactive loop on a terminal, on node:readline (line editing, history
 * browsing and Tab completion come with it; the history is persisted to a
 * file here). Lines gather into statements until a `;`; each complete
 * statement runs in turn, lines typed meanwhile wait for it. Ctrl-C cancels a
 * running query or else clears the statement being typed; EXIT or Ctrl-D leaves.
 */
import { createInterface } from 'node:readline';
import { parseLineCommand } from './client-command.js';
import { completeLine, type NameCatalog } from './completion.js';
import { HISTORY_SIZE, loadHistory, saveHistory } from './history-file.js';
import type { Shell } from './shell.js';
import { isBlank, splitStatements } from './split-statements.js';

export const PROMPT = 'ksql> ';
export const CONTINUATION_PROMPT = '    > ';

export interface ReplOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly historyFile: string;
}

/** Resolves when the user leaves the shell. */
export function runRepl(shell: Shell, catalog: NameCatalog, options: ReplOptions): Promise<void> {
  const rl = createInterface({
    input: options.input,
    output: options.output,
    terminal: true,
    prompt: PROMPT,
    completer: (line: string) => completeLine(catalog, line),
    history: loadHistory(options.historyFile),
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  rl.on('history', (entries: string[]) => saveHistory(options.historyFile, entries));
  const history = new StatementHistory(rl as unknown as { history: string[] }, options.historyFile);

  let buffer = '';
  let closed = false;
  let pending = Promise.resolve();
  let waiting = 0;

  const prompt = (): void => {
    if (closed || waiting > 0) return;
    rl.setPrompt(buffer === '' ? PROMPT : CONTINUATION_PROMPT);
    rl.prompt();
  };

  const handleLine = async (line: string): Promise<void> => {
    if (closed) return;
    if (buffer === '') {
      const command = parseLineCommand(line);
      if (command !== undefined) {
        if ((await shell.runClientCommand(command)) === 'exit') rl.close();
        return;
      }
    }
    const { statements, rest } = splitStatements(`${buffer}${line}\n`);
    buffer = isBlank(rest) ? '' : rest;
    for (const statement of statements) {
      if (closed) return;
      if ((await shell.runStatement(statement)) === 'exit') {
        rl.close();
        return;
      }
    }
  };

  rl.on('line', (line: string) => {
    history.add(line);
    waiting++;
    pending = pending.then(() => handleLine(line)).finally(() => {
      waiting--;
      prompt();
    });
  });

  rl.on('SIGINT', () => {
    if (shell.cancelQuery()) return;
    buffer = '';
    history.reset();
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    options.output.write('^C\n');
    prompt();
  });

  return new Promise((resolve) => {
    rl.on('close', () => {
      closed = true;
      shell.cancelQuery();
      options.output.write('\n');
      pending.then(() => resolve(), () => resolve());
    });
    prompt();
  });
}

/**
 * Keeps a statement typed over several lines as one history entry: readline
 * records each line as it is entered; when a line completes a multi-line
 * statement, those lines are replaced by the statement on one line, so Up
 * brings back the whole statement.
 */
class StatementHistory {
  private lines: string[] = [];

  constructor(private readonly rl: { history: string[] }, private readonly file: string) {}

  add(line: string): void {
    this.lines.push(line);
    const { statements, rest } = splitStatements(`${this.lines.join('\n')}\n`);
    if (statements.length === 0 && !isBlank(rest)) return;
    if (this.lines.length > 1 && statements.length > 0) {
      const entries = this.rl.history;
      for (const typed of [...this.lines].reverse()) if (entries[0] === typed) entries.shift();
      const joined = this.lines.map((l) => l.trim()).filter((l) => l !== '').join(' ');
      const existing = entries.indexOf(joined);
      if (existing >= 0) entries.splice(existing, 1);
      entries.unshift(joined);
      if (entries.length > HISTORY_SIZE) entries.length = HISTORY_SIZE;
      saveHistory(this.file, entries);
    }
    this.lines = isBlank(rest) ? [] : [rest.replace(/\n$/, '')];
  }

  reset(): void {
    this.lines = [];
  }
}

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
    waiting++;
    pending = pending.then(() => handleLine(line)).finally(() => {
      waiting--;
      prompt();
    });
  });

  rl.on('SIGINT', () => {
    if (shell.cancelQuery()) return;
    buffer = '';
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

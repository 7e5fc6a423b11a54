// One tab of the console: an editor, its own session (SET properties and
// variables), and the results of the statements it ran. Statements run one
// by one, in order: queries and PRINT through /query-stream into a grid
// (push queries stream live, with pause, stop and a chart), everything else
// through /ksql as entities. The first failure stops the run, its message
// shown and its position marked in the editor.
import { runKsql, streamQuery } from './api.js';
import { LiveChart, numericColumns } from './live-chart.js';
import { renderEntity, table } from './render-entity.js';
import { ResultGrid } from './result-grid.js';
import { button } from './side-panel.js';
import { SqlEditor } from './sql-editor.js';
import { splitStatements, tokenize } from './sql-lexer.js';
import { TabSession } from './tab-session.js';

const MAX_PENDING = 5000;
const READ_ONLY = /^(?:SHOW|LIST|DESCRIBE|EXPLAIN|PRINT|SELECT)$/i;

export class QueryTab {
  /** @param {HTMLElement} panel  @param {import('./catalog.js').Catalog} catalog */
  constructor(panel, catalog, name) {
    this.catalog = catalog;
    this.session = new TabSession();
    this.running = undefined;
    const editorHost = document.createElement('div');
    this.editor = new SqlEditor(editorHost, { keywords: () => catalog.keywords, names: () => catalog.names(), onRun: () => this.run() });
    this.editor.textarea.setAttribute('aria-label', `SQL statements of ${name} (Ctrl+Enter runs them, Ctrl+Space completes a word)`);
    const toolbar = document.createElement('div');
    toolbar.className = 'toolbar';
    this.runButton = button('Run', 'Run the statements (Ctrl+Enter)', () => this.run());
    this.pauseButton = button('Pause', 'Pause the query', () => this.togglePause());
    this.stopButton = button('Stop', 'Stop the query', () => this.stop());
    this.pauseButton.disabled = this.stopButton.disabled = true;
    this.status = document.createElement('span');
    this.status.className = 'status';
    this.status.setAttribute('role', 'status');
    toolbar.append(this.runButton, this.pauseButton, this.stopButton, this.status);
    this.sessionView = document.createElement('details');
    this.sessionView.className = 'session';
    this.results = document.createElement('div');
    this.results.className = 'results';
    panel.append(editorHost, toolbar, this.sessionView, this.results);
    this.showSession();
    catalog.onChange(() => this.editor.render());
  }

  /** Runs the editor's statements, or `sql` when given (shown in the results only). */
  async run(sql) {
    if (this.running !== undefined) await this.stop();
    const text = sql ?? this.editor.value;
    this.results.replaceChildren();
    this.editor.clearError();
    this.runButton.disabled = true;
    let changed = false;
    try {
      for (const statement of splitStatements(text)) {
        const ok = await this.runOne(statement, sql === undefined);
        if (!READ_ONLY.test(firstWord(statement.text))) changed = true;
        if (!ok) break;
      }
    } finally {
      this.runButton.disabled = false;
      this.setStatus('');
      if (changed) await this.catalog.refresh();
    }
  }

  async runOne(statement, fromEditor) {
    const local = this.session.handle(statement.text);
    if (local !== undefined) {
      this.showSession();
      this.append(message(local));
      return true;
    }
    if (TabSession.isShowVariables(statement.text)) {
      this.append(table('Variables', ['Variable Name', 'Value'], Object.entries(this.session.variables)));
      return true;
    }
    try {
      if (/^(?:SELECT|PRINT)$/i.test(firstWord(statement.text))) await this.runQuery(statement.text);
      else {
        this.setStatus('Running…');
        for (const entity of await runKsql(statement.text, this.session)) this.append(...renderEntity(entity));
      }
      return true;
    } catch (error) {
      this.showError(error, statement, fromEditor);
      return false;
    }
  }

  async runQuery(sql) {
    const box = document.createElement('section');
    box.className = 'query-result';
    const heading = document.createElement('h2');
    heading.textContent = 'Query';
    const chartBox = document.createElement('div');
    chartBox.className = 'chart-box';
    chartBox.hidden = true;
    box.append(heading, chartBox);
    this.append(box);
    const grid = new ResultGrid(box, 'Query results');
    let chart;
    let started = false;
    const pending = [];
    this.paused = false;
    const handle = streamQuery(sql, this.session, {
      onHeader: (header) => {
        started = true;
        grid.setColumns(header.columnNames, header.columnTypes);
        if (header.print) heading.textContent = 'PRINT';
        else if (header.queryId !== undefined) {
          heading.textContent = `Push query ${header.queryId}`;
          chart = this.makeChart(chartBox, header, sql);
        } else heading.textContent = 'Pull query';
      },
      onRow: (row) => {
        if (this.paused) {
          pending.push(row);
          // The grid keeps only its last rows anyway: a long pause keeps the newest ones it would show.
          if (pending.length > MAX_PENDING) pending.shift();
          this.setStatus(`Paused: ${pending.length} rows waiting`);
          return;
        }
        grid.addRows([row]);
        chart?.add(row);
      },
    });
    this.running = { handle, resume: () => {
      grid.addRows(pending);
      for (const row of pending) chart?.add(row);
      pending.length = 0;
    } };
    this.pauseButton.disabled = this.stopButton.disabled = false;
    this.setStatus('Streaming…');
    try {
      await handle.done;
    } finally {
      this.running.resume();
      this.running = undefined;
      this.paused = false;
      this.pauseButton.textContent = 'Pause';
      this.pauseButton.disabled = this.stopButton.disabled = true;
      grid.showCount(' (ended)');
      // A query refused before it started has only its error to show.
      if (!started) box.remove();
    }
  }

  /** The chart's controls and chart: the first numeric column, per key for a table, over time for a stream. */
  makeChart(host, header, sql) {
    const numeric = numericColumns(header.columnTypes);
    if (numeric.length === 0) return undefined;
    const chart = new LiveChart(host, 'Live chart');
    const column = select('Chart column', numeric.map((i) => [String(i), header.columnNames[i]]));
    const mode = select('Chart', [['time', 'over time'], ['key', `per ${header.columnNames[0]}`]]);
    const from = /\bFROM\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(sql)?.[1];
    const valueIndex = numeric.find((i) => i > 0) ?? numeric[0];
    column.select.value = String(valueIndex);
    mode.select.value = from !== undefined && this.catalog.isTable(from) ? 'key' : 'time';
    const reset = () => chart.reset(mode.select.value, Number(column.select.value), 0);
    column.select.addEventListener('change', reset);
    mode.select.addEventListener('change', reset);
    host.prepend(column.label, mode.label);
    host.hidden = false;
    reset();
    return chart;
  }

  togglePause() {
    if (this.running === undefined) return;
    this.paused = !this.paused;
    this.pauseButton.textContent = this.paused ? 'Resume' : 'Pause';
    this.pauseButton.setAttribute('aria-label', this.paused ? 'Resume the query' : 'Pause the query');
    if (!this.paused) {
      this.running.resume();
      this.setStatus('Streaming…');
    } else this.setStatus('Paused');
  }

  async stop() {
    const running = this.running;
    if (running === undefined) return;
    this.setStatus('Stopping…');
    await running.handle.stop();
    this.setStatus('Stopped');
  }

  showError(error, statement, fromEditor) {
    const box = document.createElement('div');
    box.className = 'error';
    box.setAttribute('role', 'alert');
    const pre = document.createElement('pre');
    pre.textContent = error.message;
    box.append(pre);
    this.append(box);
    const at = /^line (\d+):(\d+)/.exec(error.message);
    if (at !== null && fromEditor) {
      const lines = statement.text.split('\n');
      const line = Math.min(Number(at[1]), lines.length);
      const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Number(at[2]) - 1;
      this.editor.markError(statement.start + Math.min(offset, statement.text.length - 1), error.message.split('\n')[0]);
    }
  }

  showSession() {
    const props = Object.entries(this.session.properties);
    const vars = Object.entries(this.session.variables);
    const summary = document.createElement('summary');
    summary.textContent = `Session: ${props.length} propert${props.length === 1 ? 'y' : 'ies'} SET, ${vars.length} variable${vars.length === 1 ? '' : 's'} defined`;
    this.sessionView.replaceChildren(summary, table('Properties set in this tab', ['Property', 'Value'], props),
      table('Variables of this tab', ['Variable', 'Value'], vars));
  }

  append(...nodes) {
    this.results.append(...nodes);
  }

  setStatus(text) {
    this.status.textContent = text;
  }
}

function firstWord(text) {
  return tokenize(text).find((t) => t.type === 'word')?.text ?? '';
}

function message(text) {
  const p = document.createElement('p');
  p.className = 'message';
  p.textContent = text;
  return p;
}

function select(labelText, options) {
  const label = document.createElement('label');
  label.textContent = `${labelText} `;
  const s = document.createElement('select');
  // Named by the label's text alone, not by the option it shows.
  s.setAttribute('aria-label', labelText);
  for (const [value, text] of options) s.add(new Option(text, value));
  label.append(s);
  return { label, select: s };
}

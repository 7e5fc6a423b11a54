// The side panel: the server's streams, tables, topics and queries (with
// their state), refreshed on demand and after statements; each persistent
// query's state, throughput, failed messages and lag are refreshed every few
// seconds (query-monitor.js) in place, so focus stays put; a topic can be
// PRINTed into the panel's own output, a source described and a query
// explained in the current tab.
import { streamQuery } from './api.js';
import { QueryMonitor } from './query-monitor.js';
import { formatFigure } from './query-stats.js';

/** The figures shown per query, with their labels. */
const FIGURES = [['rate', 'Messages/s'], ['total', 'Total messages'], ['failed', 'Failed'], ['lag', 'Lag']];

export class SidePanel {
  /**
   * @param {HTMLElement} host
   * @param {import('./catalog.js').Catalog} catalog
   * @param {(sql: string) => void} runInTab runs a statement in the current tab
   */
  constructor(host, catalog, runInTab) {
    this.catalog = catalog;
    this.runInTab = runInTab;
    const refresh = button('Refresh', 'Refresh the lists', () => catalog.refresh());
    this.lists = {};
    host.append(refresh);
    for (const [key, title] of [['streams', 'Streams'], ['tables', 'Tables'], ['topics', 'Topics'], ['queries', 'Queries']]) {
      const section = document.createElement('section');
      const h = document.createElement('h2');
      h.textContent = title;
      h.id = `side-${key}`;
      const ul = document.createElement('ul');
      ul.setAttribute('aria-labelledby', h.id);
      section.append(h, ul);
      host.append(section);
      this.lists[key] = ul;
    }
    this.printSection = document.createElement('section');
    this.printSection.className = 'print-panel';
    this.printSection.setAttribute('aria-label', 'PRINT output');
    this.printSection.hidden = true;
    host.append(this.printSection);
    this.figures = new Map();
    catalog.onChange(() => this.render());
    this.monitor = new QueryMonitor((figures) => {
      this.figures = figures;
      this.showFigures();
    });
    catalog.onChange(() => this.monitor.refresh());
  }

  render() {
    const sourceItem = (s) => item(s.name, `${s.topic}, ${s.valueFormat}`, button('Describe', `Describe ${s.name}`, () => this.runInTab(`DESCRIBE ${s.name};`)));
    this.lists.streams.replaceChildren(...this.catalog.streams.map(sourceItem));
    this.lists.tables.replaceChildren(...this.catalog.tables.map(sourceItem));
    this.lists.topics.replaceChildren(...this.catalog.topics.map((t) => item(t, '', button('Print', `Print topic ${t}`, () => this.print(t)))));
    this.lists.queries.replaceChildren(...this.catalog.queries.map((q) => {
      const li = item(q.id, q.sinks.join(', '), button('Explain', `Explain ${q.id}`, () => this.runInTab(`EXPLAIN ${q.id};`)));
      const state = document.createElement('span');
      state.className = `state state-${q.state.toLowerCase()}`;
      state.textContent = q.state;
      li.querySelector('.detail').after(state);
      li.dataset.queryId = q.id;
      const figures = document.createElement('dl');
      figures.className = 'figures';
      figures.setAttribute('aria-label', `Statistics of ${q.id}`);
      li.append(figures);
      return li;
    }));
    this.showFigures();
  }

  /** Writes the latest figures into each query's item; a query not (yet) in them shows "-". */
  showFigures() {
    for (const li of this.lists.queries.children) {
      const f = this.figures.get(li.dataset.queryId);
      if (f?.state) {
        const state = li.querySelector('.state');
        state.className = `state state-${f.state.toLowerCase()}`;
        state.textContent = f.state;
      }
      li.querySelector('.figures').replaceChildren(...FIGURES.flatMap(([key, label]) => {
        const dt = document.createElement('dt');
        dt.textContent = label;
        const dd = document.createElement('dd');
        dd.dataset.figure = key;
        dd.textContent = formatFigure(f?.[key]);
        return [dt, dd];
      }));
    }
  }

  /** PRINTs a topic from the beginning into the panel until stopped. */
  async print(topic) {
    await this.printing?.stop();
    const heading = document.createElement('h2');
    heading.textContent = `PRINT ${topic}`;
    const out = document.createElement('pre');
    out.setAttribute('aria-live', 'off');
    out.tabIndex = 0;
    const stop = button('Stop', `Stop printing ${topic}`, () => this.printing?.stop());
    this.printSection.replaceChildren(heading, stop, out);
    this.printSection.hidden = false;
    const quoted = `'${topic.replaceAll("'", "''")}'`;
    const printing = streamQuery(`PRINT ${quoted} FROM BEGINNING;`, { properties: {}, variables: {} }, {
      onHeader: () => {},
      onRow: ([line]) => {
        out.append(`${line}\n`);
        if (out.childNodes.length > 500) out.firstChild.remove();
        out.scrollTop = out.scrollHeight;
      },
    });
    this.printing = printing;
    printing.done.then(() => out.append('(stopped)\n'), (error) => out.append(`Error: ${error.message}\n`)).finally(() => {
      stop.disabled = true;
    });
  }
}

function item(name, detail, action) {
  const li = document.createElement('li');
  const n = document.createElement('span');
  n.className = 'name';
  n.textContent = name;
  const d = document.createElement('span');
  d.className = 'detail';
  d.textContent = detail;
  li.append(n, d, action);
  return li;
}

export function button(text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (label !== text) b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

// The grid of a query's rows: a table whose columns come from the query's
// header, rows appended as they arrive (the newest kept, up to a bound), and
// a polite live count for screen readers.
import { cellText } from './render-entity.js';

const MAX_ROWS = 1000;

export class ResultGrid {
  constructor(host, caption) {
    this.table = document.createElement('table');
    this.table.className = 'grid';
    this.table.createCaption().textContent = caption;
    this.head = this.table.createTHead().insertRow();
    this.body = this.table.createTBody();
    this.count = document.createElement('p');
    this.count.className = 'row-count';
    this.count.setAttribute('role', 'status');
    this.count.setAttribute('aria-live', 'polite');
    this.rows = 0;
    const scroller = document.createElement('div');
    scroller.className = 'grid-scroll';
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-label', caption);
    scroller.append(this.table);
    host.append(scroller, this.count);
    this.scroller = scroller;
  }

  setColumns(names, types) {
    this.head.replaceChildren(...names.map((name, i) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = name;
      th.title = types?.[i] ?? '';
      return th;
    }));
    this.showCount();
  }

  addRows(rows) {
    const stick = this.scroller.scrollTop + this.scroller.clientHeight >= this.scroller.scrollHeight - 4;
    for (const row of rows) {
      const tr = this.body.insertRow();
      for (const value of row) tr.insertCell().textContent = cellText(value);
      this.rows++;
    }
    while (this.body.rows.length > MAX_ROWS) this.body.deleteRow(0);
    if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
    this.showCount();
  }

  showCount(extra = '') {
    this.count.textContent = `${this.rows} row${this.rows === 1 ? '' : 's'}${this.rows > MAX_ROWS ? ` (the last ${MAX_ROWS} shown)` : ''}${extra}`;
  }
}

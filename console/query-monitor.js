// Polls the persistent queries' figures (one SHOW QUERIES EXTENDED per
// refresh, every few seconds) while the page is visible, and hands each
// query's figures by id to a listener. A failed poll keeps the last figures.
import { runKsql } from './api.js';
import { queryFigures } from './query-stats.js';

const NO_SESSION = { properties: {}, variables: {} };

export class QueryMonitor {
  /** @param {(figures: Map<string, ReturnType<typeof queryFigures>>) => void} onFigures */
  constructor(onFigures, intervalMs = 3000) {
    this.onFigures = onFigures;
    setInterval(() => {
      if (!document.hidden) this.refresh();
    }, intervalMs);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.refresh();
    });
  }

  async refresh() {
    if (this.pending) return;
    this.pending = true;
    try {
      const [list] = await runKsql('SHOW QUERIES EXTENDED;', NO_SESSION);
      const figures = new Map();
      for (const d of list.queryDescriptions) if (d.queryType === 'PERSISTENT') figures.set(d.id, queryFigures(d));
      this.onFigures(figures);
    } catch (error) {
      console.warn('could not read the queries\' statistics', error);
    } finally {
      this.pending = false;
    }
  }
}

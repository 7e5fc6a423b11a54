// What the server knows, for completion, highlighting and the side panel:
// streams, tables, topics and queries, columns and functions, fetched with
// SHOW and DESCRIBE statements on /ksql, and the grammar's keywords.
import { runKsql } from './api.js';

const NO_SESSION = { properties: {}, variables: {} };

export class Catalog {
  constructor() {
    this.keywords = new Set();
    this.streams = [];
    this.tables = [];
    this.topics = [];
    this.queries = [];
    this.columns = [];
    this.functions = [];
    this.listeners = [];
  }

  async loadKeywords() {
    const res = await fetch('/console/keywords.json');
    if (!res.ok) return;
    const { reserved, nonReserved } = await res.json();
    this.keywords = new Set([...reserved, ...nonReserved]);
  }

  /** Fetches the names again; a failure keeps the ones known before. */
  async refresh() {
    try {
      const entities = await runKsql('SHOW STREAMS; SHOW TABLES; SHOW TOPICS; SHOW QUERIES; DESCRIBE STREAMS; DESCRIBE TABLES;', NO_SESSION);
      const [streams, tables, topics, queries, ...descriptions] = entities;
      this.streams = streams.streams;
      this.tables = tables.tables;
      this.topics = topics.topics.map((t) => t.name);
      this.queries = queries.queries;
      const columns = new Set();
      for (const list of descriptions) for (const d of list.sourceDescriptions) for (const f of d.fields) columns.add(f.name);
      this.columns = [...columns].sort();
      if (this.functions.length === 0) {
        const [functions] = await runKsql('SHOW FUNCTIONS;', NO_SESSION);
        this.functions = functions.functions.map((f) => f.name);
      }
    } catch (error) {
      console.warn('could not refresh the names the server knows', error);
    }
    for (const listener of this.listeners) listener();
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  names() {
    return { sources: [...this.streams, ...this.tables].map((s) => s.name), columns: this.columns, functions: this.functions };
  }

  isTable(name) {
    return this.tables.some((t) => t.name === name.toUpperCase());
  }
}

/**
 * Tab completion: ksqlDB's keywords and the stream, table, column and
 * function names the server knows (fetched with SHOW STREAMS, SHOW TABLES,
 * DESCRIBE STREAMS/TABLES and SHOW FUNCTIONS, and fetched again after a
 * statement that may change them). A word typed in lower case completes in
 * lower case.
 */
import { NON_RESERVED_KEYWORDS, RESERVED_KEYWORDS } from '../parser/grammar/keywords.js';
import type { KsqlClient } from './ksql-client.js';

const CLIENT_WORDS = ['OUTPUT', 'TABULAR', 'JSON', 'SPOOL', 'OFF', 'HELP', 'EXIT', 'QUIT'];
const KEYWORDS = [...new Set([...RESERVED_KEYWORDS, ...NON_RESERVED_KEYWORDS, ...CLIENT_WORDS])].sort();

export class NameCatalog {
  private sources: string[] = [];
  private columns: string[] = [];
  private functions: string[] = [];

  /** Asks the server for its names; a failure keeps the names known before. */
  async refresh(client: KsqlClient): Promise<void> {
    try {
      const result = await client.execute('SHOW FUNCTIONS; DESCRIBE STREAMS; DESCRIBE TABLES;', { properties: {}, variables: {} });
      if (result.kind !== 'entities') return;
      const sources = new Set<string>();
      const columns = new Set<string>();
      const functions = new Set<string>();
      for (const entity of result.entities) {
        if (entity['@type'] === 'function_names') for (const f of entity.functions) functions.add(f.name);
        if (entity['@type'] === 'source_descriptions') {
          for (const d of entity.sourceDescriptions) {
            sources.add(d.name);
            for (const field of d.fields) columns.add(field.name);
          }
        }
      }
      this.sources = [...sources].sort();
      this.columns = [...columns].sort();
      this.functions = [...functions].sort();
    } catch {
      // completion goes on with what it had
    }
  }

  candidates(): string[] {
    return [...new Set([...KEYWORDS, ...this.sources, ...this.columns, ...this.functions])];
  }
}

/** node:readline's completer: the words that extend the last word of the line. */
export function completeLine(catalog: NameCatalog, line: string): [string[], string] {
  const word = /[A-Za-z0-9_]*$/.exec(line)![0];
  if (word === '') return [[], word];
  const upper = word.toUpperCase();
  const lower = word === word.toLowerCase() && word !== upper;
  const hits = catalog.candidates()
    .filter((c) => c.toUpperCase().startsWith(upper))
    .map((c) => word + (lower ? c.slice(word.length).toLowerCase() : c.slice(word.length)));
  return [[...new Set(hits)].sort(), word];
}

/** The catalogue of streams, tables and custom types, by normalized name. */
import { statementError } from '../common/errors.js';
import { quoteIdentifier, type SqlType } from '../schema/sql-type.js';
import { describeSourceKind, type DataSource } from './data-source.js';

export class Metastore {
  private readonly sources = new Map<string, DataSource>();
  private readonly types = new Map<string, SqlType>();
  /** For each CREATE ... AS SELECT sink, the sources its query read when it was created (ksqlDB's source references). */
  private readonly references = new Map<string, Set<string>>();
  private changes = 0;

  /** Changes with every put and delete: what was planned against an older version may be stale. */
  get version(): number {
    return this.changes;
  }

  getSource(name: string): DataSource | undefined {
    return this.sources.get(name);
  }

  /** The source, or ksqlDB's error for a missing one. */
  requireSource(name: string): DataSource {
    const s = this.sources.get(name);
    if (!s) throw statementError(`${name} does not exist.`);
    return s;
  }

  listSources(): DataSource[] {
    return [...this.sources.values()];
  }

  /** Adds or replaces (CREATE OR REPLACE) a source. */
  putSource(source: DataSource): void {
    this.sources.set(source.name, source);
    this.changes++;
  }

  /**
   * Drops a source and the references it held. References to it, which a
   * drop refuses but an older command log replayed may hold, are dropped
   * too, as ksqlDB does when it restores: a source of that name made later
   * is not held by them.
   */
  deleteSource(name: string): void {
    this.sources.delete(name);
    this.references.delete(name);
    for (const read of this.references.values()) read.delete(name);
    this.changes++;
  }

  /**
   * Records that the sink of a CREATE ... AS SELECT reads `sources`: they
   * cannot be dropped before it, whether its query still runs or not. A
   * replaced sink keeps the sources it read before.
   */
  addSourceReferences(sink: string, sources: readonly string[]): void {
    const read = this.references.get(sink) ?? new Set<string>();
    for (const s of sources) if (s !== sink) read.add(s);
    this.references.set(sink, read);
    this.changes++;
  }

  /** The sinks whose CREATE ... AS SELECT reads `name`, sorted. */
  sourcesReading(name: string): string[] {
    return [...this.references].filter(([, read]) => read.has(name)).map(([sink]) => sink).sort();
  }

  /** Sources declared on a topic, oldest first. */
  sourcesOnTopic(topic: string): DataSource[] {
    return this.listSources().filter((s) => s.topic === topic);
  }

  getType(name: string): SqlType | undefined {
    return this.types.get(name);
  }

  listTypes(): [string, SqlType][] {
    return [...this.types.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  putType(name: string, type: SqlType): void {
    this.types.set(name, type);
    this.changes++;
  }

  deleteType(name: string): boolean {
    this.changes++;
    return this.types.delete(name);
  }
}

export function sourceExistsError(kind: DataSource['kind'], existing: DataSource, name: string): Error {
  return statementError(
    `Cannot add ${describeSourceKind(kind)} '${name}': A ${describeSourceKind(existing.kind)} with the same name already exists`,
  );
}

/** CREATE ... IF NOT EXISTS of an existing name: the message of ksqlDB's DDL, which skips the create. */
export function alreadyExists(kind: DataSource['kind'], existing: DataSource): string {
  return `Cannot add ${describeSourceKind(kind)} ${quoteIdentifier(existing.name)}: A ${describeSourceKind(existing.kind)} with the same name already exists.`;
}

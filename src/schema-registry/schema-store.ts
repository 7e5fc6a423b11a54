/**
 * The registry's state: subjects and their versions, schema ids, and
 * compatibility configs. Every change is first appended to `_schemas`
 * (schemas-topic.ts) and only then applied in memory by the same function
 * that replays the topic at start, so what clients were told is what a
 * restart rebuilds. Ids are global: the same schema (type, text, references)
 * gets the same id under every subject; a new schema gets the next free id,
 * and an id is never given twice.
 */
import type { Broker } from '../broker/index.js';
import { createLogger } from '../common/logger.js';
import { compatibilityProblems, DEFAULT_COMPATIBILITY_LEVEL, type CompatibilityLevel } from './compatibility-level.js';
import { parseSchema, readProblems, type ParsedSchema } from './parse-schema.js';
import { RegistryError } from './registry-error.js';
import { contentIdentity, type SchemaContent, type SchemaReference } from './schema-content.js';
import { encodeSchemasRecord, ensureSchemasTopic, replaySchemasTopic, SCHEMAS_TOPIC, type SchemasRecord, type StoredVersion } from './schemas-topic.js';

const log = createLogger('schema-registry');

const MAX_VERSION = 2 ** 31 - 1;

/** Which versions a read sees: live ones only, or soft-deleted ones too (`?deleted=true`). */
export interface ReadOptions {
  readonly deleted?: boolean;
}

export class SchemaStore {
  private readonly subjects = new Map<string, Map<number, StoredVersion>>();
  private readonly configs = new Map<string, CompatibilityLevel>();
  private globalLevel: CompatibilityLevel = DEFAULT_COMPATIBILITY_LEVEL;
  /** Each id's content and how many stored versions (soft-deleted too) carry it. */
  private readonly ids = new Map<number, { content: SchemaContent; uses: number }>();
  private readonly idByContent = new Map<string, number>();
  private readonly parsed = new Map<number, ParsedSchema>();
  private nextId = 1;

  private constructor(private readonly broker: Broker) {}

  /** Opens the store on `broker`, creating `_schemas` if needed and replaying it. */
  static open(broker: Broker): SchemaStore {
    ensureSchemasTopic(broker);
    const store = new SchemaStore(broker);
    replaySchemasTopic(broker, (record) => store.apply(record), log);
    log.info({ subjects: store.subjects.size, schemas: store.ids.size, nextId: store.nextId }, 'schema registry store loaded');
    return store;
  }

  /** Subjects with live versions (and soft-deleted ones with `deleted`, or only those with `deletedOnly`). */
  listSubjects(options: ReadOptions & { readonly prefix?: string; readonly deletedOnly?: boolean } = {}): string[] {
    return [...this.subjects.keys()]
      .filter((s) => {
        if (!s.startsWith(options.prefix ?? '')) return false;
        const live = this.visibleVersions(s, {}).length > 0;
        return options.deletedOnly === true ? !live : live || options.deleted === true;
      })
      .sort();
  }

  listVersions(subject: string, options: ReadOptions = {}): number[] {
    const versions = this.visibleVersions(subject, options).map((v) => v.version);
    if (versions.length === 0) throw subjectNotFound(subject);
    return versions;
  }

  getVersion(subject: string, versionText: string, options: ReadOptions = {}): StoredVersion {
    const versions = this.visibleVersions(subject, options);
    if (versions.length === 0) throw subjectNotFound(subject);
    const version = parseVersion(versionText);
    const found = version === 'latest' ? versions[versions.length - 1] : versions.find((v) => v.version === version);
    if (found === undefined) throw new RegistryError('VERSION_NOT_FOUND', `Version ${versionText} not found.`);
    return found;
  }

  /**
   * Registers `content` under `subject` and returns its id; the same live
   * schema again returns its id. `requestedId` gives a new schema that id (as
   * Confluent's IMPORT mode does), the same schema of another subject
   * too; an id that already names another schema, or a schema this subject
   * already has under another id, is refused.
   */
  register(subject: string, content: SchemaContent, requestedId?: number): number {
    const candidate = this.parse(content);
    const identity = contentIdentity(candidate.content);
    const live = this.visibleVersions(subject, {});
    const existing = live.find((v) => contentIdentity(v) === identity);
    if (existing !== undefined && (requestedId === undefined || existing.id === requestedId)) return existing.id;
    if (existing !== undefined) {
      throw new RegistryError('BAD_REQUEST', `Schema already registered with id ${existing.id} instead of input id ${requestedId}`);
    }
    const level = this.levelOf(subject);
    const problems = compatibilityProblems(level, candidate, live.map((v) => this.parsedOf(v)));
    if (problems.length > 0) {
      throw new RegistryError(
        'INCOMPATIBLE_SCHEMA',
        `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${problems.join('; ')}]`,
      );
    }
    const requested = requestedId === undefined ? undefined : this.checkRequestedId(requestedId, identity);
    // A schema known under another id takes the requested one too (Confluent's IMPORT mode): ids are per registration.
    const knownId = requested === undefined ? this.idByContent.get(identity) : (this.ids.has(requested) ? requested : undefined);
    const id = requested ?? knownId ?? this.nextId;
    const all = [...(this.subjects.get(subject)?.values() ?? [])];
    const version = all.reduce((max, v) => Math.max(max, v.version), 0) + 1;
    // A known schema keeps the text it was first registered with: one id, one text.
    const text = knownId === undefined ? candidate.content : this.schemaById(knownId);
    const stored: StoredVersion = { subject, version, id, ...text, deleted: false };
    const records: SchemasRecord[] = [{ kind: 'schema', subject, version, value: stored }];
    if (id >= this.nextId) records.push({ kind: 'nextId', next: id + 1 });
    this.write(records);
    log.info({ subject, version, id }, 'registered a schema');
    return id;
  }

  /** The version of `subject` that holds `content` (POST /subjects/{subject}). */
  lookup(subject: string, content: SchemaContent, options: ReadOptions = {}): StoredVersion {
    const versions = this.visibleVersions(subject, options);
    if (versions.length === 0) throw subjectNotFound(subject);
    const identity = contentIdentity(this.parse(content).content);
    const found = versions.find((v) => contentIdentity(v) === identity);
    if (found === undefined) throw new RegistryError('SCHEMA_NOT_FOUND', 'Schema not found');
    return found;
  }

  /** Soft-deletes every live version, or permanently deletes a soft-deleted subject; returns the versions deleted. */
  deleteSubject(subject: string, permanent: boolean): number[] {
    const all = this.visibleVersions(subject, { deleted: true });
    if (all.length === 0) throw subjectNotFound(subject);
    const live = all.filter((v) => !v.deleted);
    if (permanent) {
      if (live.length > 0) throw new RegistryError('SUBJECT_NOT_SOFT_DELETED', `Subject '${subject}' was not deleted first before being permanently deleted`);
      this.write([...all.map((v) => schemaRecord(v, null)), ...(this.configs.has(subject) ? [configRecord(subject, null)] : [])]);
      log.info({ subject, versions: all.length }, 'permanently deleted a subject');
      return all.map((v) => v.version);
    }
    if (live.length === 0) throw new RegistryError('SUBJECT_SOFT_DELETED', `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`);
    for (const v of live) this.refuseIfReferenced(v);
    this.write(live.map((v) => schemaRecord(v, { ...v, deleted: true })));
    log.info({ subject, versions: live.length }, 'soft-deleted a subject');
    return live.map((v) => v.version);
  }

  /** Soft-deletes one version, or permanently deletes a soft-deleted one; returns its number. */
  deleteVersion(subject: string, versionText: string, permanent: boolean): number {
    // A numbered version is found soft-deleted too (to say so); a soft delete of `latest` means the latest live one.
    const v = this.getVersion(subject, versionText, { deleted: permanent || parseVersion(versionText) !== 'latest' });
    if (permanent) {
      if (!v.deleted) throw new RegistryError('VERSION_NOT_SOFT_DELETED', `Subject '${subject}' Version ${v.version} was not deleted first before being permanently deleted`);
      this.write([schemaRecord(v, null)]);
    } else {
      if (v.deleted) throw new RegistryError('VERSION_SOFT_DELETED', `Subject '${subject}' Version ${v.version} was soft deleted. Set permanent=true to delete permanently`);
      this.refuseIfReferenced(v);
      this.write([schemaRecord(v, { ...v, deleted: true })]);
    }
    log.info({ subject, version: v.version, permanent }, 'deleted a schema version');
    return v.version;
  }

  schemaById(id: number): SchemaContent {
    const entry = this.ids.get(id);
    if (entry === undefined) throw schemaNotFound(id);
    return entry.content;
  }

  /** The subject-versions that carry schema `id`. */
  versionsOfId(id: number, options: ReadOptions = {}): { subject: string; version: number }[] {
    this.schemaById(id);
    const found: { subject: string; version: number }[] = [];
    for (const subject of [...this.subjects.keys()].sort()) {
      for (const v of this.visibleVersions(subject, options)) if (v.id === id) found.push({ subject, version: v.version });
    }
    return found;
  }

  /** The ids of the live schemas that reference this version. */
  referencedBy(subject: string, versionText: string): number[] {
    const target = this.getVersion(subject, versionText);
    const ids = new Set<number>();
    for (const versions of this.subjects.values()) {
      for (const v of versions.values()) if (!v.deleted && v.references.some((r) => refersTo(r, target))) ids.add(v.id);
    }
    return [...ids].sort((a, b) => a - b);
  }

  /**
   * Why `content` could not be registered under `subject`: against one version
   * in the direction the subject's level gives, or (no version) as a
   * registration would check. A `latest` of a subject with no versions is compatible.
   */
  compatibilityProblems(subject: string, versionText: string | undefined, content: SchemaContent): string[] {
    const candidate = this.parse(content);
    const level = this.levelOf(subject);
    if (versionText === undefined) return compatibilityProblems(level, candidate, this.visibleVersions(subject, {}).map((v) => this.parsedOf(v)));
    if (parseVersion(versionText) === 'latest' && this.visibleVersions(subject, {}).length === 0) return [];
    const old = this.parsedOf(this.getVersion(subject, versionText));
    return compatibilityProblems(level === 'NONE' ? level : (level.replace('_TRANSITIVE', '') as CompatibilityLevel), candidate, [old]);
  }

  /** The level a subject's registrations are checked with: its own, else the global one. */
  levelOf(subject: string): CompatibilityLevel {
    return this.configs.get(subject) ?? this.globalLevel;
  }

  getGlobalLevel(): CompatibilityLevel {
    return this.globalLevel;
  }

  /** The subject's own level; undefined when it has none. */
  getSubjectLevel(subject: string): CompatibilityLevel | undefined {
    return this.configs.get(subject);
  }

  /** Sets the global level (`subject` null) or a subject's. */
  setLevel(subject: string | null, level: CompatibilityLevel): void {
    this.write([configRecord(subject, level)]);
  }

  /** Puts the global level back to the default and returns the one it had. */
  resetGlobalLevel(): CompatibilityLevel {
    const level = this.globalLevel;
    this.write([configRecord(null, null)]);
    return level;
  }

  /** Every version of every subject, by subject and version (GET /schemas); `latestOnly` keeps each subject's latest. */
  listSchemas(options: ReadOptions & { readonly prefix?: string; readonly latestOnly?: boolean } = {}): StoredVersion[] {
    const all: StoredVersion[] = [];
    for (const subject of [...this.subjects.keys()].sort()) {
      if (!subject.startsWith(options.prefix ?? '')) continue;
      const versions = this.visibleVersions(subject, options);
      all.push(...(options.latestOnly === true ? versions.slice(-1) : versions));
    }
    return all;
  }

  /** Removes a subject's own level and returns it. */
  deleteSubjectLevel(subject: string): CompatibilityLevel {
    const level = this.configs.get(subject);
    if (level === undefined) throw subjectNotFound(subject);
    this.write([configRecord(subject, null)]);
    return level;
  }

  /** A requested id must be free or name this very schema. */
  private checkRequestedId(requestedId: number, identity: string): number {
    if (!Number.isInteger(requestedId) || requestedId < 1) throw new RegistryError('BAD_REQUEST', `Invalid schema id ${requestedId}`);
    const taken = this.ids.get(requestedId);
    if (taken !== undefined && contentIdentity(taken.content) !== identity) {
      throw new RegistryError('BAD_REQUEST', `Overwrite new schema with id ${requestedId} is not permitted.`);
    }
    return requestedId;
  }

  private refuseIfReferenced(v: StoredVersion): void {
    for (const versions of this.subjects.values()) {
      for (const other of versions.values()) {
        if (!other.deleted && other !== v && other.references.some((r) => refersTo(r, v))) {
          throw new RegistryError('REFERENCE_EXISTS', `One or more references exist to the schema {subject=${v.subject}, version=${v.version}}`);
        }
      }
    }
  }

  private visibleVersions(subject: string, options: ReadOptions): StoredVersion[] {
    const versions = [...(this.subjects.get(subject)?.values() ?? [])].filter((v) => options.deleted === true || !v.deleted);
    return versions.sort((a, b) => a.version - b.version);
  }

  private parse(content: SchemaContent): ParsedSchema {
    return parseSchema(content, (reference) => this.resolveReference(reference));
  }

  private parsedOf(v: StoredVersion): ParsedSchema {
    let parsed = this.parsed.get(v.id);
    if (parsed === undefined) this.parsed.set(v.id, (parsed = this.parse(v)));
    return parsed;
  }

  /** The schemas `references` name and, transitively, those they reference, each once, by the name it is imported with. */
  referencedSchemas(references: readonly SchemaReference[]): { name: string; schema: string }[] {
    const out: { name: string; schema: string }[] = [];
    const seen = new Set<string>();
    const visit = (refs: readonly SchemaReference[]): void => {
      for (const reference of refs) {
        if (seen.has(reference.name)) continue;
        seen.add(reference.name);
        const content = this.resolveReference(reference);
        out.push({ name: reference.name, schema: content.schema });
        visit(content.references);
      }
    };
    visit(references);
    return out;
  }

  private resolveReference(reference: SchemaReference): SchemaContent {
    const versions = this.visibleVersions(reference.subject, { deleted: true });
    const found = reference.version === -1 ? versions.filter((v) => !v.deleted).pop() : versions.find((v) => v.version === reference.version);
    if (found === undefined) {
      throw new RegistryError('INVALID_SCHEMA', `Invalid schema: the reference '${reference.name}' (subject '${reference.subject}', version ${reference.version}) is not registered`);
    }
    return found;
  }

  private write(records: readonly SchemasRecord[]): void {
    try {
      this.broker.append(SCHEMAS_TOPIC, records.map(encodeSchemasRecord));
    } catch (error) {
      log.error({ err: error }, 'could not write to _schemas');
      throw new RegistryError('STORE_ERROR', `Error while writing to the schema store: ${(error as Error).message}`);
    }
    for (const record of records) this.apply(record);
  }

  /** Applies one record of `_schemas`: at replay and after each write. */
  private apply(record: SchemasRecord): void {
    switch (record.kind) {
      case 'schema': {
        let versions = this.subjects.get(record.subject);
        const previous = versions?.get(record.version);
        if (previous !== undefined) this.release(previous.id);
        if (record.value === null) {
          versions?.delete(record.version);
          if (versions?.size === 0) this.subjects.delete(record.subject);
          return;
        }
        if (versions === undefined) this.subjects.set(record.subject, (versions = new Map()));
        versions.set(record.version, record.value);
        this.use(record.value);
        return;
      }
      case 'config':
        if (record.subject === null) this.globalLevel = record.level ?? DEFAULT_COMPATIBILITY_LEVEL;
        else if (record.level === null) this.configs.delete(record.subject);
        else this.configs.set(record.subject, record.level);
        return;
      case 'nextId':
        this.nextId = Math.max(this.nextId, record.next);
        return;
    }
  }

  private use(v: StoredVersion): void {
    const entry = this.ids.get(v.id);
    if (entry !== undefined) entry.uses++;
    else {
      const content: SchemaContent = { schema: v.schema, schemaType: v.schemaType, references: v.references };
      this.ids.set(v.id, { content, uses: 1 });
      this.idByContent.set(contentIdentity(content), v.id);
    }
    this.nextId = Math.max(this.nextId, v.id + 1);
  }

  private release(id: number): void {
    const entry = this.ids.get(id);
    if (entry === undefined || --entry.uses > 0) return;
    this.ids.delete(id);
    this.parsed.delete(id);
    const identity = contentIdentity(entry.content);
    if (this.idByContent.get(identity) === id) this.idByContent.delete(identity);
  }
}

/** A version path segment: `latest` (or -1), else a whole number from 1 to 2^31-1. */
function parseVersion(text: string): number | 'latest' {
  if (text === 'latest' || text === '-1') return 'latest';
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_VERSION) {
    throw new RegistryError(
      'INVALID_VERSION',
      `The specified version '${text}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    );
  }
  return n;
}

function refersTo(reference: SchemaReference, v: StoredVersion): boolean {
  return reference.subject === v.subject && reference.version === v.version;
}

function schemaRecord(v: StoredVersion, value: StoredVersion | null): SchemasRecord {
  return { kind: 'schema', subject: v.subject, version: v.version, value };
}

function configRecord(subject: string | null, level: CompatibilityLevel | null): SchemasRecord {
  return { kind: 'config', subject, level };
}

function subjectNotFound(subject: string): RegistryError {
  return new RegistryError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
}

function schemaNotFound(id: number): RegistryError {
  return new RegistryError('SCHEMA_NOT_FOUND', `Schema ${id} not found`);
}

/**
 * Avro schema resolution as a check: can a reader with one schema read every
 * datum written with another? The rules are the Avro specification's: the
 * same primitive or a promotion (int to long, float or double; long to float
 * or double; float to double; string and bytes both ways), records matched by
 * name (or a reader alias) whose reader fields the writer has or that have a
 * default, enums whose writer symbols the reader knows (or that have a reader
 * default), fixed of the same name and size, arrays and maps by their items,
 * a writer union whose every branch the reader can read, and a reader union
 * with some branch that can read the writer. An empty answer means it can.
 */
import { describeType, type AvroNamed, type AvroType } from './avro-schema.js';

const PROMOTIONS: Record<string, readonly string[]> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  string: ['bytes'],
  bytes: ['string'],
};

/** Why `reader` cannot read data written with `writer`: one message per problem, empty when it can. */
export function avroReadProblems(reader: AvroType, writer: AvroType): string[] {
  const problems: string[] = [];
  check(reader, writer, '', problems, new Map());
  return problems;
}

/** `inProgress` holds the record pairs being checked, so recursive records end: a pair met again inside its own check is assumed readable. */
function check(reader: AvroType, writer: AvroType, path: string, problems: string[], inProgress: Map<AvroType, Set<AvroType>>): void {
  if (writer.kind === 'union') {
    writer.branches.forEach((branch, i) => {
      if (!canRead(reader, branch, inProgress)) {
        problems.push(`MISSING_UNION_BRANCH at '${path || '/'}': the reader's ${describeType(reader)} cannot read the writer's union branch ${i} (${describeType(branch)})`);
      }
    });
    return;
  }
  if (reader.kind === 'union') {
    if (!reader.branches.some((branch) => canRead(branch, writer, inProgress))) {
      problems.push(`TYPE_MISMATCH at '${path || '/'}': no branch of the reader's ${describeType(reader)} can read the writer's ${describeType(writer)}`);
    }
    return;
  }
  if (reader.kind === 'primitive' && writer.kind === 'primitive') {
    if (reader.name !== writer.name && !PROMOTIONS[reader.name]?.includes(writer.name)) mismatch(reader, writer, path, problems);
    return;
  }
  if (reader.kind !== writer.kind) {
    mismatch(reader, writer, path, problems);
    return;
  }
  switch (reader.kind) {
    case 'array':
      check(reader.items, (writer as typeof reader).items, `${path}/items`, problems, inProgress);
      return;
    case 'map':
      check(reader.values, (writer as typeof reader).values, `${path}/values`, problems, inProgress);
      return;
    case 'fixed': {
      const w = writer as typeof reader;
      if (!sameName(reader, w)) nameMismatch(reader, w, path, problems);
      else if (reader.size !== w.size) problems.push(`FIXED_SIZE_MISMATCH at '${path || '/'}': the reader's ${reader.fullName} has size ${reader.size}, the writer's ${w.size}`);
      return;
    }
    case 'enum': {
      const w = writer as typeof reader;
      if (!sameName(reader, w)) {
        nameMismatch(reader, w, path, problems);
        return;
      }
      const missing = w.symbols.filter((s) => !reader.symbols.includes(s));
      if (missing.length > 0 && reader.default === undefined) {
        problems.push(`MISSING_ENUM_SYMBOLS at '${path}/symbols': the reader's ${reader.fullName} lacks the writer's symbols [${missing.join(', ')}]`);
      }
      return;
    }
    case 'record': {
      const w = writer as typeof reader;
      if (!sameName(reader, w)) {
        nameMismatch(reader, w, path, problems);
        return;
      }
      let pairs = inProgress.get(reader);
      if (pairs?.has(w)) return;
      if (pairs === undefined) inProgress.set(reader, (pairs = new Set()));
      pairs.add(w);
      reader.fields.forEach((field, i) => {
        const written = w.fields.find((f) => f.name === field.name) ?? w.fields.find((f) => field.aliases.includes(f.name));
        if (written !== undefined) check(field.type, written.type, `${path}/fields/${i}/type`, problems, inProgress);
        else if (!field.hasDefault) {
          problems.push(`READER_FIELD_MISSING_DEFAULT_VALUE at '${path}/fields/${i}': the reader's field '${field.name}' has no default value and the writer has no such field`);
        }
      });
      pairs.delete(w);
      return;
    }
  }
}

function canRead(reader: AvroType, writer: AvroType, inProgress: Map<AvroType, Set<AvroType>>): boolean {
  const problems: string[] = [];
  check(reader, writer, '', problems, inProgress);
  return problems.length === 0;
}

/** Avro matches named types by unqualified name, or by a reader alias naming the writer's full name. */
function sameName(reader: AvroNamed, writer: AvroNamed): boolean {
  return reader.name === writer.name || reader.aliases.includes(writer.fullName);
}

function mismatch(reader: AvroType, writer: AvroType, path: string, problems: string[]): void {
  problems.push(`TYPE_MISMATCH at '${path || '/'}': the reader's ${describeType(reader)} cannot read the writer's ${describeType(writer)}`);
}

function nameMismatch(reader: AvroNamed, writer: AvroNamed, path: string, problems: string[]): void {
  problems.push(`NAME_MISMATCH at '${path}/name': the reader's ${reader.fullName} does not match the writer's ${writer.fullName}`);
}

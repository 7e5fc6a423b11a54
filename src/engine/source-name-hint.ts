/**
 * The hint ksqlDB adds to "does not exist" for a source name that exists
 * only in another case (its MetaStore checkAlternatives): an unquoted name
 * (upper case) that should have been quoted, or a quoted one that should not
 * have been. `kind` limits the alternatives to sources of that kind.
 */
import type { SourceKind } from '../catalog/data-source.js';
import type { Metastore } from '../catalog/metastore.js';

export function sourceNameHint(metastore: Metastore, name: string, kind?: SourceKind): string {
  const fits = (found: { kind: SourceKind } | undefined): boolean => found !== undefined && (kind === undefined || found.kind === kind);
  if (name === name.toUpperCase()) {
    const other = metastore.listSources().find((s) => s.name !== name && s.name.toUpperCase() === name && fits(s));
    return other === undefined ? '' : `\nDid you mean "${other.name}"? Hint: wrap the source name in double quotes to make it case-sensitive.`;
  }
  const upper = name.toUpperCase();
  return fits(metastore.getSource(upper)) ? `\nDid you mean ${upper}? Hint: try removing double quotes from the source name.` : '';
}

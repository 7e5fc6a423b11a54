/** Runs statements on a fresh engine: the sources they leave, or the first error's message. */
import type { PropertyValue } from '../../src/engine/config.js';
import type { DataSource } from '../../src/catalog/data-source.js';
import { withTempEngine } from '../helpers/temp-engine.js';

/** Runs `sql` on a fresh engine and returns the sources it declared, or the error message. */
export function declare(sql: string, config: Record<string, PropertyValue> = {}): Map<string, DataSource> | string {
  return withTempEngine(
    ({ engine }) => {
      try {
        engine.execute(sql);
        return new Map(engine.metastore.listSources().map((s) => [s.name, s]));
      } catch (error) {
        return (error as Error).message;
      }
    },
    { properties: config, autoCreateSourceTopics: true },
  );
}

export function source(sql: string, name: string, config: Record<string, PropertyValue> = {}): DataSource {
  const sources = declare(sql, config);
  if (typeof sources === 'string') throw new Error(sources);
  return sources.get(name)!;
}

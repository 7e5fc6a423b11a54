/**
 * The parse pool's settings (src/parser/parse-pool.ts), read from the
 * server's properties: how many threads parse long statement texts, how
 * many texts may wait for one, how long a parse may take, and from what
 * length a text leaves the event loop. `threads=0` parses everything in
 * process, as before the pool.
 */
import { DEFAULT_PARSE_POOL_OPTIONS, PARSE_POOL_PROPERTIES, type ParsePoolOptions } from '../parser/parse-pool.js';
import { wholeNumberSetting } from './whole-number-setting.js';

export function resolveParsePoolOptions(properties: Readonly<Record<string, string>>): ParsePoolOptions {
  const d = DEFAULT_PARSE_POOL_OPTIONS;
  const p = PARSE_POOL_PROPERTIES;
  return {
    threads: wholeNumberSetting(properties, p.threads, d.threads, 0),
    queueSize: wholeNumberSetting(properties, p.queueSize, d.queueSize, 0),
    timeoutMs: wholeNumberSetting(properties, p.timeoutMs, d.timeoutMs),
    minLength: wholeNumberSetting(properties, p.minLength, d.minLength, 0),
  };
}

/**
 * A setting holding a whole number of at least `least`: the configured text,
 * or the default when it is absent (checked too, so a default below a bound
 * another setting raised is refused). A bad value is a UsageError naming
 * the setting.
 */
import { UsageError } from './usage-error.js';

export function wholeNumberSetting(properties: Readonly<Record<string, string>>, name: string, fallback: number, least = 1): number {
  const text = properties[name] ?? String(fallback);
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < least) throw new UsageError(`Invalid ${name} '${text}': expected a whole number of at least ${least}`);
  return value;
}

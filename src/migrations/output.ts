/**
 * Where a migrations command reports: progress on `info` (stdout), problems
 * on `warn` and `error` (stderr), one line or block per call.
 */
export interface Output {
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
}

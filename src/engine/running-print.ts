/** A running PRINT, as its client's connection controls it. */
export interface RunningPrint {
  /** Whether a slow client holds it back. */
  readonly isPaused: boolean;
  pause(): void;
  resume(): void;
  close(): void;
}

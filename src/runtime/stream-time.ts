/**
 * Stream time: the largest record timestamp an operator of a task has seen.
 * Windows close and suppressed results are released on it, so it is kept in
 * a store and committed with the task: after a restart the same records
 * close the same windows.
 */
import type { KeyValueStore } from '../state/index.js';
import type { StateParticipant } from './state-participant.js';
import { decodeValue, encodeValue } from './value-codec.js';

export class StreamTime implements StateParticipant {
  private value: number;
  private saved: number;
  private readonly id: Buffer;

  constructor(private readonly store: KeyValueStore, name: string) {
    this.id = Buffer.from(name);
    this.value = this.load();
    this.saved = this.value;
  }

  /** -1 before the first record. */
  get now(): number {
    return this.value;
  }

  /** Advances to `timestamp` if it is later; returns stream time. */
  observe(timestamp: number): number {
    if (timestamp > this.value) this.value = timestamp;
    return this.value;
  }

  flush(): void {
    if (this.value !== this.saved) this.store.put(this.id, encodeValue(this.value));
    this.saved = this.value;
  }

  abort(): void {
    this.value = this.load();
    this.saved = this.value;
  }

  private load(): number {
    const bytes = this.store.get(this.id);
    return bytes === null ? -1 : (decodeValue(bytes) as number);
  }
}

/** An operator cache in front of a store (for example decoded accumulators). */
export interface StateParticipant {
  /** Writes what the operator holds into its stores (an aggregate also emits the results it held back). */
  flush(): void;
  /** Forgets everything since the last successful commit. */
  abort(): void;
}

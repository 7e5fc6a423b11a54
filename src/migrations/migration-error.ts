/** A migrations command cannot go on: its message is what the user reads, and the command exits with 1. */
export class MigrationError extends Error {}

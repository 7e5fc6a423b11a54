/**
 * A mistake on the server's command line or in its settings (a bad flag or
 * value, a config file that cannot be read or holds a line that is not a
 * setting, an unknown setting): the server exits with code 2, as a usage
 * error, instead of 1 (it could not start or failed).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

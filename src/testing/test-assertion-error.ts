/**
 * A failed ASSERT VALUES or ASSERT NULL VALUES: ksqlDB's test runner throws
 * java.lang.AssertionError there (tests name that class in
 * `--@expected.error`), and a KsqlException for everything else.
 */
export class TestAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

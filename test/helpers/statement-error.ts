/**
 * Test helper: the message of the error a statement raises in a fresh test
 * driver after `setup` (DDL) ran, or undefined when it runs.
 */
import { TestDriver } from '../../src/testing/test-driver.js';

export function statementError(setup: string, statement: string): string | undefined {
  const driver = new TestDriver({});
  try {
    driver.execute(setup);
    driver.execute(statement);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    driver.close();
  }
}

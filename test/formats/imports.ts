/** Re-exports shared by format tests. */
export * from '../../src/formats/index.js';
export { KsqlError } from '../../src/common/errors.js';

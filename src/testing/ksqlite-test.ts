#!/usr/bin/env node
/**
 * The `ksqlite-test` bin. Logs below warnings would bury the test report, so
 * the level is set before the modules that make loggers are loaded.
 */
process.env.KSQLITE_LOG_LEVEL ??= 'warn';
const { runSqlTestCommand } = await import('./sql-test-cli.js');
process.exitCode = await runSqlTestCommand(process.argv.slice(2));

import test from 'ava';
import { parseClientCommand, parseLineCommand } from '../../src/cli/client-command.js';

test('SET, UNSET, DEFINE and UNDEFINE are read with their quoted values', (t) => {
  t.deepEqual(parseClientCommand("SET 'auto.offset.reset' = 'earliest';"), { kind: 'set', name: 'auto.offset.reset', value: 'earliest' });
  t.deepEqual(parseClientCommand("unset 'auto.offset.reset';"), { kind: 'unset', name: 'auto.offset.reset' });
  t.deepEqual(parseClientCommand("DEFINE who = 'it''s me';"), { kind: 'define', name: 'who', value: "it's me" });
  t.deepEqual(parseClientCommand('UNDEFINE who;'), { kind: 'undefine', name: 'who' });
});

test('SHOW VARIABLES, RUN SCRIPT, SPOOL and OUTPUT are client commands', (t) => {
  t.deepEqual(parseClientCommand('show variables;'), { kind: 'show-variables' });
  t.deepEqual(parseClientCommand('LIST VARIABLES;'), { kind: 'show-variables' });
  t.deepEqual(parseClientCommand("RUN SCRIPT '/tmp/a.sql';"), { kind: 'run-script', path: '/tmp/a.sql' });
  t.deepEqual(parseClientCommand('SPOOL OFF;'), { kind: 'spool', path: undefined });
  t.deepEqual(parseClientCommand("SPOOL '/tmp/out file';"), { kind: 'spool', path: '/tmp/out file' });
  t.deepEqual(parseClientCommand('OUTPUT json;'), { kind: 'output', format: 'JSON' });
  t.deepEqual(parseClientCommand('OUTPUT;'), { kind: 'output', format: undefined });
});

test('server statements are not client commands', (t) => {
  t.is(parseClientCommand('SHOW STREAMS;'), undefined);
  t.is(parseClientCommand("SET x = 'y';"), undefined);
  t.is(parseClientCommand('SELECT * FROM s;'), undefined);
});

test('HELP, EXIT, QUIT, OUTPUT and SPOOL need no semicolon on a line of their own, other commands do', (t) => {
  t.deepEqual(parseLineCommand('help'), { kind: 'help' });
  t.deepEqual(parseLineCommand(' exit '), { kind: 'exit' });
  t.deepEqual(parseLineCommand('QUIT;'), { kind: 'exit' });
  t.deepEqual(parseLineCommand('output tabular'), { kind: 'output', format: 'TABULAR' });
  t.deepEqual(parseLineCommand('spool /tmp/x'), { kind: 'spool', path: '/tmp/x' });
  t.is(parseLineCommand("DEFINE a = 'b'"), undefined);
  t.is(parseLineCommand('SHOW STREAMS'), undefined);
});

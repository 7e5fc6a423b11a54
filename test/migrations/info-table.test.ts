import test from 'ava';
import { formatInfoTable } from '../../src/migrations/info-table.js';

test('info\'s table pads each column to its widest cell and shows PENDING for a file never applied', (t) => {
  const table = formatInfoTable(
    [{ version: 1, name: 'Initial setup', path: 'x' }, { version: 2, name: 'Add users', path: 'y' }],
    new Map([['1', { version: 1, checksum: 'c', previous: '<none>', state: 'ERROR' as const, name: 'Initial setup', startedOn: '', completedOn: 'N/A', errorReason: 'bad' }]]),
  );
  t.is(table, [
    ' Version | Name          | State   | Previous Version | Started On | Completed On | Error Reason ',
    '-'.repeat(97),
    ' 1       | Initial setup | ERROR   | <none>           |            | N/A          | bad          ',
    ' 2       | Add users     | PENDING | N/A              | N/A        | N/A          | N/A          ',
    '-'.repeat(97),
    '',
  ].join('\n'));
});

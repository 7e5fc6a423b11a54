import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { MigrationError } from '../../src/migrations/migration-error.js';
import { listMigrations, migrationChecksum, newMigrationFileName } from '../../src/migrations/migration-files.js';
import { withTempDir } from '../helpers/temp-dir.js';

test('a new file is named V + six digits + __ + the description, its blanks and unsafe characters as _', (t) => {
  t.is(newMigrationFileName(2, 'Add users'), 'V000002__Add_users.sql');
  t.is(newMigrationFileName(123456, 'a/b\\c:d*e?f"g<h>i|j\tk'), 'V123456__a_b_c_d_e_f_g_h_i_j_k.sql');
});

test('migration files are listed by version, their names read with spaces; other files are skipped with a warning', (t) => {
  withTempDir((dir) => {
    for (const name of ['V000010__Ten.sql', 'V000002__Add_users.sql', 'notes.txt', 'V2__short.sql']) writeFileSync(join(dir, name), name);
    mkdirSync(join(dir, 'V000003__folder.sql'));
    const warnings: string[] = [];
    const migrations = listMigrations(dir, { info: () => {}, error: () => {}, warn: (text) => warnings.push(text) });
    t.deepEqual(migrations.map((m) => [m.version, m.name, m.path]), [[2, 'Add users', join(dir, 'V000002__Add_users.sql')], [10, 'Ten', join(dir, 'V000010__Ten.sql')]]);
    t.is(warnings.length, 2);
    t.regex(warnings[0]!, /V2__short\.sql/);
    t.is(migrationChecksum(migrations[0]!), createHash('md5').update('V000002__Add_users.sql').digest('hex'));
  });
});

test('two files of one version, or a version 0, are errors', (t) => {
  withTempDir((dir) => {
    writeFileSync(join(dir, 'V000001__a.sql'), '');
    writeFileSync(join(dir, 'V000001__b.sql'), '');
    t.regex(t.throws(() => listMigrations(dir), { instanceOf: MigrationError })?.message ?? '', /Found multiple migration files with the same version\. Version: 1\./);
  });
  withTempDir((dir) => {
    writeFileSync(join(dir, 'V000000__zero.sql'), '');
    t.regex(t.throws(() => listMigrations(dir), { instanceOf: MigrationError })?.message ?? '', /versions must be positive/);
  });
  t.regex(t.throws(() => listMigrations('/nonexistent-migrations-dir'), { instanceOf: MigrationError })?.message ?? '', /ENOENT/);
});

/**
 * operate-and-deploy/installation/server-config/index.md: the server started
 * as the page starts it, its properties file named alone
 * (`ksql-server-start ksql-server.properties`), KSQL_OPTS's `-Dname=value`
 * settings overriding the file's, and the listener settings of a cluster.
 * Headless mode's queries file, by its flag or its setting (the flag wins);
 * the JVM's variables (KSQL_HEAP_OPTS, KSQL_JMX_OPTS, ...) are Java's:
 * refused, or listed in the README's differences.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSettings } from '../../src/server/known-settings.js';
import { resolveServerOptions } from '../../src/server/server-options.js';
import { withTempDir } from '../helpers/temp-dir.js';

test('the properties file named alone, as ksql-server-start takes it; KSQL_OPTS -D settings override it', (t) => {
  withTempDir((dir) => {
    const file = join(dir, 'ksql-server.properties');
    writeFileSync(file, 'listeners=http://localhost:18088\nksql.streams.auto.offset.reset=latest\nksql.service.id=my_application_\n');
    const plain = resolveServerOptions([file], {});
    t.like(plain, { host: 'localhost', port: 18088 });
    t.is(plain.properties['ksql.service.id'], 'my_application_');
    const overridden = resolveServerOptions([file], {
      KSQL_OPTS: '-Dksql.streams.auto.offset.reset=earliest -Dksql.streams.num.stream.threads=1',
    });
    t.like(overridden.properties, { 'ksql.streams.auto.offset.reset': 'earliest', 'ksql.streams.num.stream.threads': '1', 'ksql.service.id': 'my_application_' });
    t.throws(() => resolveServerOptions(['--config', file, file], {}), { message: /Expected one config file/ });
    t.throws(() => resolveServerOptions([file], { KSQL_OPTS: '-Xmx1g -Dksql.service.id=x' }), { message: /KSQL_OPTS: '-Xmx1g' is not a setting/ });
    // security.md's JAAS file for Basic authentication is a Java system property: refused, saying what ksqlite reads instead.
    t.throws(() => resolveServerOptions([file], { KSQL_OPTS: '-Djava.security.auth.login.config=/path/to/jaas_config.file' }),
      { message: /'-Djava\.security\.auth\.login\.config' is a Java system property, which ksqlite does not use: .*authentication\.basic\.users\.file/ });
  });
});

test('headless mode: the queries file by --queries-file or ksql.queries.file, the flag winning over the setting', (t) => {
  withTempDir((dir) => {
    const file = join(dir, 'ksql-server.properties');
    writeFileSync(file, 'bootstrap.servers=localhost:9092\nksql.queries.file=/path/to/queries.sql\n');
    t.notThrows(() => checkSettings({ 'ksql.queries.file': '/path/to/queries.sql' }));
    t.is(resolveServerOptions([file], {}).queriesFile, '/path/to/queries.sql');
    t.is(resolveServerOptions([file, '--queries-file', '/path/to/other.sql'], {}).queriesFile, '/path/to/other.sql');
    t.is(resolveServerOptions(['--queries-file', 'relative.sql'], {}).queriesFile, join(process.cwd(), 'relative.sql'));
    t.is(resolveServerOptions([], {}).queriesFile, undefined);
  });
});

test('the listener settings of the page: listeners and ksql.advertised.listener are taken, ksql.internal.listener refused', (t) => {
  t.notThrows(() => checkSettings({ listeners: 'http://0.0.0.0:8088', 'ksql.advertised.listener': 'http://host1.internal.example.com:8088', 'bootstrap.servers': 'kafkaBroker1:9092' }));
  t.throws(() => checkSettings({ 'ksql.internal.listener': 'https://0.0.0.0:8099' }), { message: /ksql\.internal\.listener/ });
});

import test from 'ava';
import { freePort, startServerProcess } from '../helpers/server-process.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { avroRecord, call } from './helpers.js';

test('ksqlite-server serves the registry on --schema-registry-port, and after kill -9 a new server has every schema with its id', async (t) => {
  await withTempDir(async (dir) => {
    const firstPort = await freePort();
    const first = await startServerProcess(dir, ['--schema-registry-port', String(firstPort)]);
    const registered: { subject: string; id: number; schema: string }[] = [];
    try {
      const base = `http://127.0.0.1:${firstPort}`;
      await call(base, 'PUT', '/config', { compatibility: 'NONE' });
      for (let i = 0; i < 5; i++) {
        const schema = avroRecord(`Kill${i}`, [{ name: 'f', type: 'int' }]);
        const reply = await call(base, 'POST', `/subjects/kill-${i % 2}/versions`, { schema });
        t.is(reply.status, 200, JSON.stringify(reply.body));
        registered.push({ subject: `kill-${i % 2}`, id: reply.body.id, schema });
      }
    } finally {
      await first.stop('SIGKILL');
    }
    const secondPort = await freePort();
    const second = await startServerProcess(dir, ['--schema-registry-port', String(secondPort)]);
    try {
      const base = `http://127.0.0.1:${secondPort}`;
      for (const r of registered) t.deepEqual((await call(base, 'GET', `/schemas/ids/${r.id}`)).body, { schema: r.schema });
      t.deepEqual((await call(base, 'GET', '/subjects/kill-0/versions')).body, [1, 2, 3]);
      t.deepEqual((await call(base, 'GET', '/config')).body, { compatibilityLevel: 'NONE' });
      const next = (await call(base, 'POST', '/subjects/kill-2/versions', { schema: '"string"' })).body.id;
      t.is(next, Math.max(...registered.map((r) => r.id)) + 1);
    } finally {
      await second.stop('SIGTERM');
    }
  });
});

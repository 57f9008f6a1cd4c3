import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/databases.js';
import { describeEachDatabase } from '../helpers/matrix.js';
import { startGatewayProcess, stopGatewayProcess, type GatewayProcess } from '../helpers/process.js';

const workDir = mkdtempSync(path.join(tmpdir(), 'ga-concurrent-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describeEachDatabase('three gateways starting at once on an empty database', (database) => {
  it('migrate once, create one root user, and all serve', async () => {
    // No SESSION_SECRET: the processes must agree on the one they generate and keep in the database.
    const env = database().env;
    const gateways: GatewayProcess[] = await Promise.all([1, 2, 3].map(() => startGatewayProcess(env, workDir)));
    try {
      const db = openTestDatabase(database());
      try {
        const users = await db.selectFrom('users').select(['username', 'role']).execute();
        expect(users).toEqual([{ username: 'root', role: 100 }]);
        const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
        expect(migrations.rows.map((r) => r.name)).toEqual(['0001_init', '0002_cluster', '0003_route_key_order']);
      } finally {
        await db.destroy();
      }
      // A session from one process works on another.
      const login = await fetch(`http://127.0.0.1:${gateways[0]!.port}/api/user/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'root', password: '123456' }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      const self = await fetch(`http://127.0.0.1:${gateways[2]!.port}/api/user/self`, { headers: { cookie } });
      expect(self.status).toBe(200);
    } finally {
      const codes = await Promise.all(gateways.map(stopGatewayProcess));
      expect(codes).toEqual([0, 0, 0]);
    }
  });
});

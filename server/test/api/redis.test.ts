import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { unavailableReason } from '../helpers/matrix.js';
import { REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { sign } from '../../src/services/session-cookie.js';

const reason = unavailableReason('redis');

describe.skipIf(reason !== null)(
  `with Redis, processes share sessions and limits${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    let database: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    let redis: Redis;
    const prefix = uniquePrefix('shared');

    beforeAll(async () => {
      database = await createTestDatabase('sqlite');
      const env = {
        REDIS_CONN_STRING: REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        API_RATE_LIMIT: '6',
        LOGIN_RATE_LIMIT: '3',
        SESSION_SECRET: 'shared-test-secret',
      };
      a = await startTestApp(database, env);
      b = await startTestApp(database, env);
      redis = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      await Promise.all([a.close(), b.close()]);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await database.drop();
    });

    it('keeps the session in Redis, usable on every process, and logout ends it everywhere', async () => {
      const cookie = await a.login('root', '123456'); // login 1 of 3, request 1 of 6
      expect(await redis.keys(`${prefix}session:*`)).toHaveLength(1);
      expect((await b.request({ method: 'GET', url: '/api/user/self', headers: { cookie } })).statusCode).toBe(200);
      await a.request({ method: 'GET', url: '/api/user/logout', headers: { cookie } });
      expect(await redis.keys(`${prefix}session:*`)).toHaveLength(0);
      expect((await b.request({ method: 'GET', url: '/api/user/self', headers: { cookie } })).statusCode).toBe(401);
    });

    it('counts login attempts across processes', async () => {
      const attempt = (app: TestApp) =>
        app.request({ method: 'POST', url: '/api/user/login', payload: { username: 'root', password: 'wrong' } });
      expect((await attempt(b)).statusCode).toBe(401); // login 2 of 3
      expect((await attempt(a)).statusCode).toBe(401); // login 3 of 3
      const limited = await attempt(b);
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ success: false, code: 'RATE_LIMITED' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('counts API requests across processes, but not /api/status', async () => {
      // Requests so far: a=2 (login, logout), b=1 (self).
      for (let i = 0; i < 5; i++) {
        expect((await a.request({ method: 'GET', url: '/api/status' })).statusCode).toBe(200);
      }
      const seen: number[] = [];
      for (let i = 0; i < 4; i++)
        seen.push((await (i % 2 ? a : b).request({ method: 'GET', url: '/api/user/self' })).statusCode);
      expect(seen).toEqual([401, 401, 401, 429]);
    });

    it('still accepts the cookies made before sessions were sealed into them (the signed id alone)', async () => {
      const user = await a.services.users.findById(1);
      await redis.set(`${prefix}session:old-id`, JSON.stringify({ uid: 1, ver: user?.session_version }), 'EX', 60);
      const cookie = `session=${sign('shared-test-secret', 'old-id')}`;
      const self = () =>
        b.request({ method: 'GET', url: '/api/user/self', headers: { cookie }, remoteAddress: '10.0.0.3' });
      expect((await self()).json()).toMatchObject({ success: true, data: { id: 1 } });
      await a.request({ method: 'GET', url: '/api/user/logout', headers: { cookie }, remoteAddress: '10.0.0.3' });
      expect(await redis.exists(`${prefix}session:old-id`)).toBe(0);
      expect((await self()).statusCode).toBe(401);
    });
  },
);

describe('without Redis', () => {
  it('limits logins per process in memory', async () => {
    const database = await createTestDatabase('sqlite');
    const app = await startTestApp(database, { LOGIN_RATE_LIMIT: '2' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) {
        codes.push(
          (await app.request({ method: 'POST', url: '/api/user/login', payload: { username: 'root', password: 'x' } }))
            .statusCode,
        );
      }
      expect(codes).toEqual([401, 401, 429]);
    } finally {
      await app.close();
      await database.drop();
    }
  });

  it('refuses to start on an unreachable Redis, naming the address but not the password', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const start = startTestApp(database, { REDIS_CONN_STRING: 'redis://:hunter2secret@127.0.0.1:1' });
      await expect(start).rejects.toThrow(/REDIS_CONN_STRING/);
      await expect(start).rejects.toThrow(/127\.0\.0\.1:1/);
      await start.catch((error: Error) => expect(error.message).not.toContain('hunter2secret'));
    } finally {
      await database.drop();
    }
  });
});

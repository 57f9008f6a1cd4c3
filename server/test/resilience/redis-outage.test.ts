import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { unavailableReason } from '../helpers/matrix.js';
import { REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { TcpProxy } from './tcp-proxy.js';

const reason = unavailableReason('redis');
const DEGRADED = 'Redis unreachable: sessions and rate limits fall back to this process until it is back';
const RECOVERED = 'Redis is back: sessions and rate limits use it again';

/** The session id inside a Redis-mode cookie (`session=<base64url JSON>.<signature>`). */
function sessionId(cookie: string): string {
  const payload = cookie.slice('session='.length).split('.')[0]!;
  return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { id: string }).id;
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(reason !== null)(
  `while Redis is unreachable, sessions and rate limits fall back to the process${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    const prefix = uniquePrefix('outage');
    let database: TestDatabase;
    let proxy: TcpProxy;
    let app: TestApp;
    let redis: Redis;
    let beforeCut: string; // a session made while Redis was there
    let duringCut: string; // one made while it was not

    const self = (cookie: string, remoteAddress = '127.0.0.1') =>
      app.request({ method: 'GET', url: '/api/user/self', headers: { cookie }, remoteAddress });
    const wrongLogin = () =>
      app.request({ method: 'POST', url: '/api/user/login', payload: { username: 'root', password: 'wrong' } });
    const logout = (cookie: string) => app.request({ method: 'POST', url: '/api/user/logout', headers: { cookie } });
    const lines = (message: string) => app.logs.filter((line) => line.includes(`"msg":"${message}"`));
    const sessionKeys = () => redis.keys(`${prefix}session:*`);
    /** A session as a login makes it, without a login's password hashing (and its count). */
    const startSession = async () => {
      const root = await app.services.users.findById(1);
      return `session=${await app.services.auth.startSession(root!)}`;
    };

    beforeAll(async () => {
      const target = new URL(REDIS_URL);
      proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
      const proxied = new URL(REDIS_URL);
      proxied.host = `127.0.0.1:${proxy.port}`;
      database = await createTestDatabase('sqlite');
      app = await startTestApp(database, {
        REDIS_CONN_STRING: proxied.href,
        REDIS_KEY_PREFIX: prefix,
        API_RATE_LIMIT: '8',
        LOGIN_RATE_LIMIT: '2',
        SESSION_SECRET: 'outage-test-secret-not-for-logs',
      });
      redis = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      await app?.close();
      await proxy?.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await database?.drop();
    });

    it('keeps logins, sessions and limits working in the process, and warns once', async () => {
      beforeCut = await startSession();
      expect((await self(beforeCut)).statusCode).toBe(200); // API request 1 of 8 (in Redis)
      expect(await sessionKeys()).toHaveLength(1);

      await proxy.cut();
      await until(() => app.redis?.status !== 'ready', 'the client to notice');
      const started = Date.now();
      expect((await self(beforeCut)).statusCode).toBe(200); // local API request 1
      expect(Date.now() - started).toBeLessThan(300);

      duringCut = await app.login('root', '123456'); // local login 1
      expect((await self(duringCut)).statusCode).toBe(200); // local API request 2
      // Only the signature vouches for a session now: a cookie with its payload changed is refused.
      const [payload, signature] = duringCut.slice('session='.length).split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, exp: Number(claims.exp) + 1 })).toString('base64url');
      expect((await self(`session=${forged}.${signature}`)).statusCode).toBe(401); // local API request 3
      const local = await startSession();
      expect((await logout(local)).statusCode).toBe(200); // local API request 4
      expect((await self(local)).statusCode).toBe(401); // local API request 5: ended in this process

      // Counted here: Redis holds no login and one request, so these limits are the process's own.
      expect((await wrongLogin()).statusCode).toBe(401); // local login 2 of 2
      expect((await wrongLogin()).statusCode).toBe(429);
      const codes: number[] = [];
      for (let i = 6; i <= 9; i++) codes.push((await self(duringCut)).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);

      expect(lines(DEGRADED)).toHaveLength(1);
      expect(lines(DEGRADED)[0]).toContain('"level":40');
      // ioredis retries every few ms at first; the connection error is logged once, not per attempt.
      expect(lines('redis connection error').length).toBeLessThanOrEqual(2);
      expect(app.logs.join('\n')).not.toContain('outage-test-secret-not-for-logs');
    });

    it('goes back to Redis when it returns: sessions are checked there and logout ends them again', async () => {
      await proxy.restore();
      await until(() => app.redis?.status === 'ready', 'the client to reconnect');

      // Redis's own count (1 request) applies again, not the process's exhausted one.
      expect((await self(beforeCut)).statusCode).toBe(200);
      expect(lines(RECOVERED)).toHaveLength(1);
      // The logout made during the outage reached Redis.
      expect(await redis.keys(`${prefix}session-revoked:*`)).toHaveLength(1);

      const after = await app.login('root', '123456'); // login 1 of 2 in Redis
      expect(await redis.exists(`${prefix}session:${sessionId(after)}`)).toBe(1);
      expect((await logout(after)).statusCode).toBe(200);
      expect(await redis.exists(`${prefix}session:${sessionId(after)}`)).toBe(0);
      expect((await self(after)).statusCode).toBe(401);

      // The session made during the outage lives on, and is now revocable through Redis.
      expect((await self(duringCut)).statusCode).toBe(200);
      expect((await logout(duringCut)).statusCode).toBe(200);
      expect(await redis.exists(`${prefix}session-revoked:${sessionId(duringCut)}`)).toBe(1);
      expect((await self(duringCut)).statusCode).toBe(401);
      expect(await sessionKeys()).toHaveLength(1); // beforeCut's, the one session still open in Redis
      expect(lines(DEGRADED)).toHaveLength(1);
    });

    it('does not wait on a Redis that stops answering', async () => {
      const client = '10.0.0.2'; // a caller with no count yet, here or in Redis
      proxy.stall();
      const started = Date.now();
      expect((await self(beforeCut, client)).statusCode).toBe(200); // gives up on Redis after 500 ms
      expect(Date.now() - started).toBeLessThan(1500);
      const next = Date.now();
      expect((await self(beforeCut, client)).statusCode).toBe(200); // and does not try again at once
      expect(Date.now() - next).toBeLessThan(300);
      expect(lines(DEGRADED)).toHaveLength(2);

      await proxy.restore();
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the pause before Redis is tried again
      expect((await self(beforeCut, client)).statusCode).toBe(200);
      expect(lines(RECOVERED)).toHaveLength(2);
    });
  },
);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { startTestApp } from '../helpers/app.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('sqlite');
});
afterAll(() => database.drop());

const WARNING = 'still has the default password';

describe('first run', () => {
  it('warns about the default root password on every start until it is changed', async () => {
    const first = await startTestApp(database);
    try {
      expect(first.logs.filter((line) => line.includes(WARNING))).toHaveLength(1);
      const cookie = await first.login('root', '123456');
      const changed = await first.request({
        method: 'PUT',
        url: '/api/user/self',
        headers: { cookie },
        payload: { password: 'a-better-password', original_password: '123456' },
      });
      expect(changed.statusCode).toBe(200);
      const self = await first.request({
        method: 'GET',
        url: '/api/user/self',
        headers: { cookie: `session=${changed.cookies.find((c) => c.name === 'session')!.value}` },
      });
      expect(self.json()).toMatchObject({ data: { default_password: false } });
    } finally {
      await first.close();
    }

    const second = await startTestApp(database);
    try {
      expect(second.logs.some((line) => line.includes(WARNING))).toBe(false);
      const login = await second.request({
        method: 'POST',
        url: '/api/user/login',
        payload: { username: 'root', password: 'a-better-password' },
      });
      expect(login.json()).toMatchObject({ data: { role: 100, default_password: false } });
    } finally {
      await second.close();
    }
  });

  it('marks the session cookie Secure when SESSION_SECURE is on', async () => {
    const app = await startTestApp(database, { SESSION_SECURE: 'true' });
    try {
      const login = await app.request({
        method: 'POST',
        url: '/api/user/login',
        payload: { username: 'root', password: 'a-better-password' },
      });
      expect(login.cookies.find((c) => c.name === 'session')).toMatchObject({
        secure: true,
        httpOnly: true,
        sameSite: 'Lax',
      });
    } finally {
      await app.close();
    }
  });
});

describe('client IP for rate limits', () => {
  const attempts = async (env: Record<string, string>, forwardedFor: string[]) => {
    const app = await startTestApp(database, { LOGIN_RATE_LIMIT: '2', ...env });
    try {
      const codes: number[] = [];
      for (const ip of forwardedFor) {
        const response = await app.request({
          method: 'POST',
          url: '/api/user/login',
          headers: { 'x-forwarded-for': ip },
          payload: { username: 'root', password: 'wrong' },
        });
        codes.push(response.statusCode);
      }
      return codes;
    } finally {
      await app.close();
    }
  };

  it('ignores X-Forwarded-For from an untrusted peer, so it cannot dodge the limit', async () => {
    expect(await attempts({}, ['10.0.0.1', '10.0.0.2', '10.0.0.3'])).toEqual([401, 401, 429]);
  });

  it('uses X-Forwarded-For when the peer is a trusted proxy', async () => {
    expect(await attempts({ TRUSTED_PROXIES: '127.0.0.1/32' }, ['10.0.0.1', '10.0.0.2', '10.0.0.3'])).toEqual([
      401, 401, 401,
    ]);
    expect(await attempts({ TRUSTED_PROXIES: '127.0.0.1' }, ['10.0.0.9', '10.0.0.9', '10.0.0.9'])).toEqual([
      401, 401, 429,
    ]);
  });
});

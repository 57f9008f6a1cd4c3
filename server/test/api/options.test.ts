import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/matrix.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describeEachDatabase('options, status and registration', (database) => {
  let app: TestApp;
  let root: string;

  const put = (key: string, value: unknown, cookie = root) =>
    app.request({ method: 'PUT', url: '/api/option/', headers: { cookie }, payload: { key, value } });

  beforeAll(async () => {
    app = await startTestApp(database());
    root = await app.login('root', '123456');
  });
  afterAll(() => app.close());

  it('lists every known option with its default, and nothing internal', async () => {
    const response = await app.request({ method: 'GET', url: '/api/option/', headers: { cookie: root } });
    const entries = response.json<{ data: Array<{ key: string; value: unknown; default: unknown }> }>().data;
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    expect(byKey.SyncIntervalMinutes).toEqual({ key: 'SyncIntervalMinutes', value: 5, default: 5 });
    expect(byKey.RegisterEnabled).toMatchObject({ value: false });
    expect(byKey.LogRetentionDays).toMatchObject({ value: 30 });
    expect(entries.some((e) => e.key.startsWith('_'))).toBe(false);
    expect(response.body).not.toContain('SessionSecret');
  });

  it('refuses unknown keys and ill-typed values with a clear message', async () => {
    const unknown = await put('NoSuchOption', 'x');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'UNKNOWN_OPTION', message: expect.stringContaining('NoSuchOption') });
    for (const [key, value] of [
      ['SyncIntervalMinutes', 'often'],
      ['SyncIntervalMinutes', 0],
      ['SyncIntervalMinutes', 2.5],
      ['RegisterEnabled', 'maybe'],
      ['CheckinTime', '25:00'],
      ['SystemName', ''],
      ['RetryTimes', { nested: true }],
      ['_SessionSecret', 'stolen'],
    ] as const) {
      const response = await put(key, value);
      expect(response.statusCode, `${key}=${JSON.stringify(value)}`).toBe(400);
      expect(response.json<{ message: string }>().message).toContain(key);
    }
  });

  it('stores valid values, shows them on /api/status, and keeps them across a restart', async () => {
    expect((await put('SystemName', 'My Gateway')).json()).toMatchObject({ data: { value: 'My Gateway' } });
    expect((await put('SyncIntervalMinutes', '10')).json()).toMatchObject({ data: { value: 10 } });
    expect((await put('RegisterEnabled', true)).json()).toMatchObject({ data: { value: true } });
    const status = await app.request({ method: 'GET', url: '/api/status' });
    expect(status.json()).toMatchObject({
      success: true,
      data: {
        system_name: 'My Gateway',
        register_enabled: true,
        password_login_enabled: true,
        version: expect.any(String),
      },
    });

    const restarted = await startTestApp(database());
    try {
      const cookie = await restarted.login('root', '123456');
      const list = await restarted.request({ method: 'GET', url: '/api/option/', headers: { cookie } });
      const values = Object.fromEntries(
        list.json<{ data: Array<{ key: string; value: unknown }> }>().data.map((e) => [e.key, e.value]),
      );
      expect(values).toMatchObject({ SystemName: 'My Gateway', SyncIntervalMinutes: 10, RegisterEnabled: true });
      // The generated session secret is shared through the database: the first app's cookie works here.
      expect(
        (await restarted.request({ method: 'GET', url: '/api/user/self', headers: { cookie: root } })).statusCode,
      ).toBe(200);
    } finally {
      await restarted.close();
    }
  });

  it('registers users only while registration is on', async () => {
    await put('RegisterEnabled', true);
    const ok = await app.request({
      method: 'POST',
      url: '/api/user/register',
      payload: { username: 'newbie', password: 'password-9' },
    });
    expect(ok.json()).toMatchObject({ success: true, data: { username: 'newbie', role: 1 } });
    const cookie = await app.login('newbie', 'password-9');
    expect((await app.request({ method: 'GET', url: '/api/user/', headers: { cookie } })).statusCode).toBe(403);
    const weak = await app.request({
      method: 'POST',
      url: '/api/user/register',
      payload: { username: 'weakling', password: '123' },
    });
    expect(weak.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('password') });

    await put('RegisterEnabled', false);
    const closed = await app.request({
      method: 'POST',
      url: '/api/user/register',
      payload: { username: 'late', password: 'password-9' },
    });
    expect(closed.statusCode).toBe(403);
    expect(closed.json()).toMatchObject({ code: 'REGISTRATION_DISABLED' });
  });

  it('turns password login off for everyone but root', async () => {
    await put('PasswordLoginEnabled', false);
    try {
      const user = await app.request({
        method: 'POST',
        url: '/api/user/login',
        payload: { username: 'newbie', password: 'password-9' },
      });
      expect(user.json()).toMatchObject({ code: 'PASSWORD_LOGIN_DISABLED' });
      await app.login('root', '123456');
    } finally {
      await put('PasswordLoginEnabled', true);
    }
  });
});

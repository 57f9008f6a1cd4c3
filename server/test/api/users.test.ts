import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/matrix.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describeEachDatabase('users, sessions and access tokens', (database) => {
  let app: TestApp;
  let rootCookie: string;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, auth?: string, payload?: unknown) =>
    app.request({
      method,
      url,
      headers: auth ? (auth.startsWith('session=') ? { cookie: auth } : { authorization: `Bearer ${auth}` }) : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  const createUser = async (username: string, role = 1) => {
    const response = await call('POST', '/api/user/', rootCookie, { username, password: 'password-1', role });
    expect(response.statusCode).toBe(200);
    return response.json<{ data: { id: number } }>().data.id;
  };

  beforeAll(async () => {
    app = await startTestApp(database());
    rootCookie = await app.login('root', '123456');
  });
  afterAll(() => app.close());

  describe('login', () => {
    it('accepts root/123456 on a new database and flags the default password', async () => {
      const response = await call('POST', '/api/user/login', undefined, { username: 'root', password: '123456' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        success: true,
        data: { username: 'root', role: 100, default_password: true },
      });
      const cookie = response.cookies.find((c) => c.name === 'session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie.secure).toBeFalsy();
      expect(app.logs.some((line) => line.includes('default password'))).toBe(true);
    });

    it('refuses a wrong password and an unknown user alike', async () => {
      for (const payload of [
        { username: 'root', password: 'nope' },
        { username: 'nobody', password: 'nope' },
      ]) {
        const response = await call('POST', '/api/user/login', undefined, payload);
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({
          success: false,
          message: 'wrong username or password',
          code: 'INVALID_CREDENTIALS',
        });
      }
    });

    it('names the missing field', async () => {
      const response = await call('POST', '/api/user/login', undefined, { username: 'root' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('password'),
      });
    });

    it('answers 401 without a session and after logout', async () => {
      expect((await call('GET', '/api/user/self')).json()).toMatchObject({ code: 'NOT_LOGGED_IN' });
      const cookie = await app.login('root', '123456');
      expect((await call('GET', '/api/user/self', cookie)).statusCode).toBe(200);
      const logout = await call('GET', '/api/user/logout', cookie);
      expect(logout.cookies.find((c) => c.name === 'session')?.value).toBe('');
    });

    it('rejects a forged or tampered session cookie', async () => {
      const [name, value] = rootCookie.split('=') as [string, string];
      const tampered = `${name}=${value.slice(0, -2)}xx`;
      expect((await call('GET', '/api/user/self', tampered)).statusCode).toBe(401);
    });
  });

  describe('own account', () => {
    it('changes the display name', async () => {
      const response = await call('PUT', '/api/user/self', rootCookie, { display_name: 'The Root' });
      expect(response.json()).toMatchObject({ success: true, data: { display_name: 'The Root' } });
      expect((await call('GET', '/api/user/self', rootCookie)).json()).toMatchObject({
        data: { display_name: 'The Root' },
      });
    });

    it('changes the password only with the current one, and ends older sessions', async () => {
      const id = await createUser('pwchanger');
      expect(id).toBeGreaterThan(1);
      const first = await app.login('pwchanger', 'password-1');
      const second = await app.login('pwchanger', 'password-1');
      const wrong = await call('PUT', '/api/user/self', first, { password: 'password-2', original_password: 'bad' });
      expect(wrong.json()).toMatchObject({ code: 'WRONG_PASSWORD' });
      const missing = await call('PUT', '/api/user/self', first, { password: 'password-2' });
      expect(missing.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('original_password'),
      });
      const short = await call('PUT', '/api/user/self', first, { password: 'short', original_password: 'password-1' });
      expect(short.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('password') });

      const changed = await call('PUT', '/api/user/self', first, {
        password: 'password-2',
        original_password: 'password-1',
      });
      expect(changed.statusCode).toBe(200);
      const renewed = changed.cookies.find((c) => c.name === 'session')!;
      expect((await call('GET', '/api/user/self', `session=${renewed.value}`)).statusCode).toBe(200);
      expect((await call('GET', '/api/user/self', second)).statusCode).toBe(401);
      expect(
        (await call('POST', '/api/user/login', undefined, { username: 'pwchanger', password: 'password-1' }))
          .statusCode,
      ).toBe(401);
      await app.login('pwchanger', 'password-2');
    });

    it('issues an access token that works as a bearer on management routes, once', async () => {
      const first = (await call('GET', '/api/user/token', rootCookie)).json<{ data: string }>().data;
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect((await call('GET', '/api/user/self', first)).json()).toMatchObject({
        data: { username: 'root', has_access_token: true },
      });
      expect((await call('GET', '/api/user/?p=1', first)).statusCode).toBe(200);
      expect((await call('GET', '/api/option/', first)).statusCode).toBe(200);
      const second = (await call('GET', '/api/user/token', first)).json<{ data: string }>().data;
      expect(second).not.toBe(first);
      expect((await call('GET', '/api/user/self', first)).json()).toMatchObject({ code: 'INVALID_ACCESS_TOKEN' });
      expect((await call('GET', '/api/user/self', second)).statusCode).toBe(200);
    });
  });

  describe('user management', () => {
    let adminCookie: string;
    let adminId: number;

    beforeAll(async () => {
      adminId = await createUser('admin1', 10);
      adminCookie = await app.login('admin1', 'password-1');
    });

    it('lists with search and pages, without secrets', async () => {
      await createUser('search_a1');
      await createUser('search_a2');
      await createUser('searchxa3'); // "_" in the keyword must not match any character
      const page1 = (await call('GET', '/api/user/?keyword=search_a&p=1&page_size=1', adminCookie)).json<{
        data: { items: Array<Record<string, unknown>>; total: number; page: number; page_size: number };
      }>().data;
      expect(page1).toMatchObject({ total: 2, page: 1, page_size: 1 });
      expect(page1.items).toHaveLength(1);
      expect(page1.items[0]).not.toHaveProperty('password_hash');
      expect(page1.items[0]).not.toHaveProperty('access_token_hash');
      const page2 = (await call('GET', '/api/user/search?keyword=SEARCH_A&p=2&page_size=1', adminCookie)).json<{
        data: { items: Array<{ username: string }> };
      }>().data;
      expect(page2.items.map((u) => u.username)).not.toContain(page1.items[0]!.username);
      expect((await call('GET', '/api/user/?page_size=1000', adminCookie)).json()).toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });

    it('keeps plain users out of admin routes and admins out of root routes', async () => {
      await createUser('plain');
      const plain = await app.login('plain', 'password-1');
      expect((await call('GET', '/api/user/', plain)).statusCode).toBe(403);
      expect((await call('GET', '/api/option/', adminCookie)).statusCode).toBe(403);
    });

    it('never lets anyone act on an equal or higher role, and protects root', async () => {
      const otherAdmin = await createUser('admin2', 10);
      for (const action of ['disable', 'delete', 'demote']) {
        expect((await call('POST', '/api/user/manage', adminCookie, { id: 1, action })).statusCode).toBe(403);
        expect((await call('POST', '/api/user/manage', adminCookie, { id: otherAdmin, action })).statusCode).toBe(403);
        expect((await call('POST', '/api/user/manage', rootCookie, { id: 1, action })).statusCode).toBe(403);
      }
      expect((await call('DELETE', '/api/user/1', rootCookie)).statusCode).toBe(403);
      expect((await call('PUT', '/api/user/', adminCookie, { id: otherAdmin, display_name: 'x' })).statusCode).toBe(
        403,
      );
      const plainId = await createUser('wannabe');
      const promote = await call('POST', '/api/user/manage', adminCookie, { id: plainId, action: 'promote' });
      expect(promote.statusCode).toBe(403);
      expect((await call('PUT', '/api/user/', adminCookie, { id: plainId, role: 100 })).statusCode).toBe(403);
      expect(
        (await call('POST', '/api/user/', adminCookie, { username: 'sneaky', password: 'password-1', role: 10 }))
          .statusCode,
      ).toBe(403);
    });

    it('lets root promote and demote', async () => {
      const id = await createUser('climber');
      const promoted = await call('POST', '/api/user/manage', rootCookie, { username: 'climber', action: 'promote' });
      expect(promoted.json()).toMatchObject({ data: { id, role: 10 } });
      const demoted = await call('POST', '/api/user/manage', rootCookie, { id, action: 'demote' });
      expect(demoted.json()).toMatchObject({ data: { role: 1 } });
    });

    it('stops a disabled user at once, session and token alike, and lets them back when enabled', async () => {
      const id = await createUser('victim');
      const cookie = await app.login('victim', 'password-1');
      const token = (await call('GET', '/api/user/token', cookie)).json<{ data: string }>().data;
      expect((await call('POST', '/api/user/manage', adminCookie, { id, action: 'disable' })).statusCode).toBe(200);
      expect((await call('GET', '/api/user/self', token)).json()).toMatchObject({ code: 'USER_DISABLED' });
      expect((await call('GET', '/api/user/self', cookie)).statusCode).toBe(401);
      expect(
        (await call('POST', '/api/user/login', undefined, { username: 'victim', password: 'password-1' })).statusCode,
      ).toBe(403);
      await call('POST', '/api/user/manage', adminCookie, { id, action: 'enable' });
      expect((await call('GET', '/api/user/self', token)).statusCode).toBe(200);
    });

    it('updates partially, refuses duplicate names, and deletes', async () => {
      const id = await createUser('editable');
      const updated = await call('PUT', '/api/user/', adminCookie, {
        id,
        display_name: 'Edit Me',
        email: 'e@example.com',
      });
      expect(updated.json()).toMatchObject({
        data: { username: 'editable', display_name: 'Edit Me', email: 'e@example.com' },
      });
      const duplicate = await call('PUT', '/api/user/', adminCookie, { id, username: 'admin1' });
      expect(duplicate.statusCode).toBe(409);
      const again = await call('POST', '/api/user/', rootCookie, { username: 'editable', password: 'password-1' });
      expect(again.json()).toMatchObject({ code: 'USERNAME_TAKEN' });
      const badEmail = await call('PUT', '/api/user/', adminCookie, { id, email: 'not-an-email' });
      expect(badEmail.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('email') });
      expect((await call('GET', `/api/user/${id}`, adminCookie)).statusCode).toBe(200);
      expect((await call('DELETE', `/api/user/${id}`, adminCookie)).statusCode).toBe(200);
      expect((await call('GET', `/api/user/${id}`, adminCookie)).statusCode).toBe(404);
      expect((await call('GET', '/api/user/abc', adminCookie)).statusCode).toBe(400);
      expect(adminId).toBeGreaterThan(0);
    });
  });

  it('never writes a password, token or cookie into the log', () => {
    const joined = app.logs.join('\n');
    expect(joined).not.toContain('password-1');
    expect(joined).not.toContain(rootCookie.split('=')[1]);
    expect(joined).not.toContain('password-2');
    expect(joined).not.toContain('$argon2');
  });
});

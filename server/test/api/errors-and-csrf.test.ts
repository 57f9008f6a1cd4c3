import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let database: TestDatabase;
let app: TestApp;
let root: string;

beforeAll(async () => {
  database = await createTestDatabase('sqlite');
  app = await startTestApp(database);
  root = await app.login('root', '123456');
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('bad input gets a coded JSON error', () => {
  const cases: Array<[string, Parameters<TestApp['request']>[0], number, string]> = [
    ['unknown API path', { method: 'GET', url: '/api/nothing/here' }, 404, 'NOT_FOUND'],
    ['unknown API method', { method: 'PATCH', url: '/api/user/self' }, 404, 'NOT_FOUND'],
    [
      'malformed JSON',
      {
        method: 'POST',
        url: '/api/user/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username":',
      },
      400,
      'BAD_REQUEST',
    ],
    [
      'empty JSON body',
      { method: 'POST', url: '/api/user/login', headers: { 'content-type': 'application/json' }, payload: '' },
      400,
      'BAD_REQUEST',
    ],
    [
      'unsupported content type',
      { method: 'POST', url: '/api/user/login', headers: { 'content-type': 'application/xml' }, payload: '<a/>' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'body over the limit',
      {
        method: 'POST',
        url: '/api/user/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' }),
      },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'JSON array instead of object',
      { method: 'POST', url: '/api/user/login', payload: [1, 2] as never },
      400,
      'VALIDATION_FAILED',
    ],
  ];

  it.each(cases)('%s', async (_name, request, status, code) => {
    const response = await app.request(request);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain('application/json');
    const body = response.json<{ success: boolean; code: string; message: string }>();
    expect(body).toMatchObject({ success: false, code });
    expect(body.message.length).toBeGreaterThan(0);
    expect(response.body).not.toMatch(/at \w+ \(|node_modules/); // no stack trace
  });
});

describe('cross-site requests with the session cookie are refused', () => {
  const change = (headers: Record<string, string>) =>
    app.request({
      method: 'PUT',
      url: '/api/user/self',
      headers: { cookie: root, ...headers },
      payload: { display_name: 'x' },
    });

  it('refuses a foreign Origin and a cross-site Sec-Fetch-Site', async () => {
    for (const headers of <Array<Record<string, string>>>[
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'http://sub.localhost:80' },
    ]) {
      const response = await change(headers);
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.json()).toMatchObject({ code: 'CROSS_SITE_REQUEST' });
    }
    // A login form posted from another site is refused too.
    const login = await app.request({
      method: 'POST',
      url: '/api/user/login',
      headers: { origin: 'http://evil.example' },
      payload: { username: 'root', password: '123456' },
    });
    expect(login.statusCode).toBe(403);
  });

  it('guards the GETs that change state: a link from another site cannot log out or rotate the token', async () => {
    for (const url of ['/api/user/token', '/api/user/logout']) {
      const response = await app.request({
        method: 'GET',
        url,
        headers: { cookie: root, 'sec-fetch-site': 'cross-site' },
      });
      expect(response.statusCode, url).toBe(403);
      expect(response.json()).toMatchObject({ code: 'CROSS_SITE_REQUEST' });
    }
    expect((await app.request({ method: 'GET', url: '/api/user/self', headers: { cookie: root } })).statusCode).toBe(
      200,
    );
    const sameOrigin = await app.request({
      method: 'POST',
      url: '/api/user/token',
      headers: { cookie: root, 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.json()).toMatchObject({ success: true, data: expect.any(String) });
  });

  it('accepts same-origin requests, non-browser clients, reads, and bearer tokens from anywhere', async () => {
    expect((await change({ origin: 'http://localhost:80', host: 'localhost:80' })).statusCode).toBe(200);
    expect((await change({ 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await change({})).statusCode).toBe(200);
    const read = await app.request({
      method: 'GET',
      url: '/api/user/self',
      headers: { cookie: root, origin: 'http://evil.example' },
    });
    expect(read.statusCode).toBe(200);
    const token = (await app.request({ method: 'GET', url: '/api/user/token', headers: { cookie: root } })).json<{
      data: string;
    }>().data;
    const viaToken = await app.request({
      method: 'PUT',
      url: '/api/user/self',
      headers: { authorization: `Bearer ${token}`, origin: 'http://evil.example' },
      payload: { display_name: 'y' },
    });
    expect(viaToken.statusCode).toBe(200);
  });
});

describe('the web page', () => {
  it('serves a page at / and for deep links, never for API or relay paths', async () => {
    for (const url of ['/', '/providers/12', '/login?next=/tokens', '/dashboard']) {
      const response = await app.request({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
    for (const url of ['/api/unknown', '/v1/unknown', '/v1beta/x', '/dashboard/billing/x']) {
      const response = await app.request({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toContain('application/json');
    }
    expect((await app.request({ method: 'POST', url: '/somewhere' })).statusCode).toBe(404);
  });
});

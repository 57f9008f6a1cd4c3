import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/matrix.js';
import { startRelayHarness, type RelayHarness } from '../relay/harness.js';

/** A small deterministic PRNG (mulberry32): the same requests on every run, so a failure repeats. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  '/v1/chat/completions',
  '/v1/messages',
  '/v1/embeddings',
  '/v1/audio/transcriptions',
  '/v1beta/models/gemini-2.5-flash:generateContent',
  '/v1beta/models/%ZZ:generateContent',
  '/v1/models',
  '/v1/models/..%2F..%2Fetc%2Fpasswd',
  '/v1/../api/option/',
  '/api/user/login',
  '/api/user/self',
  '/api/provider/',
  '/api/provider/abc/sync',
  '/api/agg-token/',
  '/api/log/?start_time=-1&status=maybe',
  '/api/dashboard?window=%00',
  '/api/route/999999999999999999999',
  '/dashboard/billing/usage?start_date=2026-13-45',
  '/%2e%2e/%2e%2e/',
  '/metrics',
];
/**
 * Requests whose odd values reach the database (NUL characters, ids past 32 bits, LIKE wildcards),
 * sent with root's session so they get past authentication. SQLite takes what PostgreSQL refuses.
 */
const DATABASE_REQUESTS: ReadonlyArray<readonly [string, string]> = [
  ['GET', '/api/user/2147483648'],
  ['GET', '/api/user/search?keyword=%00'],
  ['GET', '/api/agg-token/?keyword=%25_%5C%00'],
  ['GET', '/api/agg-token/2147483648'],
  ['GET', '/api/provider/?keyword=%F0%9F%98%80%00'],
  ['GET', '/api/provider/2147483648/tokens'],
  ['GET', '/api/log/?request_id=%00&model=%25&provider=%00'],
  ['GET', '/api/log/?user_id=2147483648&token_id=2147483648&provider_id=2147483648'],
  ['GET', '/api/route/?model=%00&provider_id=2147483648'],
  ['DELETE', '/api/agg-token/2147483648'],
  ['PUT', '/api/route/2147483648'],
  ['PUT', '/api/provider/'],
  ['PUT', '/api/user/'],
  ['PUT', '/api/agg-token/'],
  ['POST', '/api/provider/'],
  ['POST', '/api/user/login'],
  ['POST', '/api/user/manage'],
];
/** Well-formed JSON with the values PostgreSQL refuses: NUL in text, integers past its 32-bit ids. */
const DATABASE_BODIES = [
  { username: 'ro\u0000ot', password: 'x\u0000', action: 'disable' },
  { id: 2147483648, action: 'disable', priority: 1, name: 'x' },
  { id: 2147483648, name: 'a\u0000b', status: 1 },
  { name: 'n\u0000', base_url: 'http://127.0.0.1:9', access_token: 't', user_id: 2147483648 },
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=latin1',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
];

function body(random: () => number, key: string): Buffer {
  const pick = Math.floor(random() * 7);
  if (pick === 0) return Buffer.alloc(0);
  if (pick === 1)
    return Buffer.from(Array.from({ length: Math.floor(random() * 512) }, () => Math.floor(random() * 256)));
  if (pick === 2) return Buffer.from([0x7b, 0x22, 0x6d, 0xff, 0xfe, 0x22, 0x3a]); // invalid UTF-8 inside JSON
  if (pick === 3) return Buffer.from('{"model": {"nested": [1,2,{"x": null}]}, "messages": "no"}');
  if (pick === 4)
    return Buffer.from(`{"model":"gpt-4o","messages":[],"key":"${key}"}`.repeat(Math.floor(random() * 3) + 1));
  if (pick === 5) return Buffer.from('--xyz\r\nContent-Disposition: form-data; name="model"\r\n\r\n');
  return Buffer.from(JSON.stringify({ model: 'x'.repeat(Math.floor(random() * 5000)), username: null, password: 7 }));
}

function send(base: string, method: string, path: string, headers: Record<string, string>, payload: Buffer) {
  const url = new URL(base);
  return new Promise<{ status: number; contentType: string; text: string }>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        // A fresh connection each time: reusing one the server is closing after an error is a client race.
        agent: false,
        method,
        path,
        headers: { ...headers, 'content-length': String(payload.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describeEachDatabase('fuzzed requests to the relay and the admin API', (database) => {
  let h: RelayHarness;

  beforeAll(async () => {
    h = await startRelayHarness(database(), [{ name: 'A' }], { API_RATE_LIMIT: '0', LOGIN_RATE_LIMIT: '0' });
  });
  afterAll(() => h.close());

  it('answers 600 random requests with clear errors, never a bare 500, and stays healthy', async () => {
    const random = seeded(20261129);
    const choose = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 600; i++) {
      const headers: Record<string, string> = {};
      const contentType = choose(CONTENT_TYPES);
      if (contentType) headers['content-type'] = contentType;
      const auth = random();
      if (auth < 0.4) headers.authorization = `Bearer ${h.key}`;
      else if (auth < 0.5) headers.authorization = 'Bearer ag-bogus\u00e9';
      else if (auth < 0.6) headers.cookie = 'session=garbage.value';
      if (random() < 0.1) headers['x-forwarded-for'] = '1.2.3.4, ::1, not-an-ip';
      if (random() < 0.05) headers['x-huge'] = 'a'.repeat(20_000);
      let method = choose(METHODS);
      let path = choose(PATHS);
      let payload = method === 'GET' ? Buffer.alloc(0) : body(random, h.key);
      if (random() < 0.25) {
        [method, path] = choose(DATABASE_REQUESTS);
        headers.cookie = h.cookie;
        delete headers.authorization;
        if (method !== 'GET' && random() < 0.7) {
          headers['content-type'] = 'application/json';
          payload = Buffer.from(JSON.stringify(choose(DATABASE_BODIES)));
        }
      }
      const response = await send(h.base, method, path, headers, payload).catch((error: Error) => {
        throw new Error(`request ${i} ${method} ${path} ${JSON.stringify(headers).slice(0, 200)}: ${error.message}`);
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(response.status, `request ${i}`).toBeGreaterThan(0);
      if (response.status >= 500 && response.status !== 502 && response.status !== 503) {
        const logged = h.app.logs.filter((line) => /"level":50/.test(line)).at(-1) ?? '';
        throw new Error(`request ${i} ${method} ${path} got ${response.status}: ${logged.slice(0, 600)}`);
      }
      if (response.status >= 400 && response.status !== 431 && response.contentType.includes('json')) {
        expect(() => JSON.parse(response.text) as unknown, `request ${i}`).not.toThrow();
      }
    }
    expect(statuses.size).toBeGreaterThan(3);
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
    const chat = await fetch(`${h.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [] }),
    });
    expect(chat.status).toBe(200);
    const crashes = h.app.logs.filter((line) => /"level":(50|60)/.test(line) && !/request failed/.test(line));
    expect(crashes).toEqual([]);
  });
});

import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/matrix.js';
import { startRelayHarness, type RelayHarness } from './harness.js';
import { rawRequest } from './raw-client.js';

/** Who may call what, and the errors in each surface's own shape. */
describeEachDatabase('relay access and errors', (database) => {
  let h: RelayHarness;

  beforeAll(async () => {
    h = await startRelayHarness(database(), [{ name: 'A' }], { RELAY_BODY_LIMIT_MB: '1' });
  });
  afterAll(() => h.close());

  const post = (path: string, key: string | undefined, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${h.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const chatBody = { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] };

  describe('keys', () => {
    it('refuses a missing or unknown key with 401 in the OpenAI shape', async () => {
      for (const key of [undefined, 'ag-nope', 'sk-whatever']) {
        const response = await post('/v1/chat/completions', key, chatBody);
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({
          error: { type: 'authentication_error', code: 'invalid_api_key' },
        });
      }
    });

    it('uses the Anthropic shape on /v1/messages', async () => {
      const response = await post('/v1/messages', 'ag-nope', { model: 'x', max_tokens: 1, messages: [] });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    });

    it('accepts the key with or without ag-, and as x-api-key, x-goog-api-key or ?key=', async () => {
      expect((await post('/v1/chat/completions', h.key.slice(3), chatBody)).status).toBe(200);
      // x-api-key where NewAPI reads it: the Anthropic endpoint.
      const message = { model: 'claude-sonnet-4-20250514', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] };
      expect((await post('/v1/messages', undefined, message, { 'x-api-key': h.key })).status).toBe(200);
      const gemini = { contents: [{ parts: [{ text: 'x' }] }] };
      expect(
        (await post('/v1beta/models/gemini-2.5-flash:generateContent', undefined, gemini, { 'x-goog-api-key': h.key }))
          .status,
      ).toBe(200);
      expect(
        (await post(`/v1beta/models/gemini-2.5-flash:generateContent?key=${h.key}`, undefined, gemini)).status,
      ).toBe(200);
    });

    it('stops a disabled, expired or deleted key, and a disabled owner, at once', async () => {
      const token = await h.createToken({ name: 'short-lived' });
      expect((await post('/v1/chat/completions', token.key, chatBody)).status).toBe(200);
      await h.updateToken(token.id, { status: 2 });
      expect((await post('/v1/chat/completions', token.key, chatBody)).status).toBe(401);
      await h.updateToken(token.id, { status: 1, expired_time: Math.floor(Date.now() / 1000) - 10 });
      const expired = await post('/v1/chat/completions', token.key, chatBody);
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
      await h.updateToken(token.id, { expired_time: -1 });
      expect((await post('/v1/chat/completions', token.key, chatBody)).status).toBe(200);
      await h.app.request({ method: 'DELETE', url: `/api/agg-token/${token.id}`, headers: { cookie: h.cookie } });
      expect((await post('/v1/chat/completions', token.key, chatBody)).status).toBe(401);
    });
  });

  describe('allow-lists', () => {
    it('checks the socket address, not X-Forwarded-For', async () => {
      const token = await h.createToken({ name: 'office-only', allow_ips: '10.1.2.0/24\n2001:db8::/32' });
      const spoofed = await post('/v1/chat/completions', token.key, chatBody, { 'x-forwarded-for': '10.1.2.3' });
      expect(spoofed.status).toBe(403);
      expect(await spoofed.json()).toMatchObject({ error: { code: 'ip_not_allowed' } });
      await h.updateToken(token.id, { allow_ips: '127.0.0.1' });
      expect((await post('/v1/chat/completions', token.key, chatBody)).status).toBe(200);
    });

    it('refuses models outside the key’s list, and lists only the allowed ones', async () => {
      const token = await h.createToken({
        name: 'limited',
        model_limits_enabled: true,
        model_limits: 'gpt-4o-mini,claude-sonnet-4-20250514',
      });
      const refused = await post('/v1/chat/completions', token.key, chatBody);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({
        error: { code: 'model_not_allowed', message: expect.stringContaining('gpt-4o') },
      });
      expect((await post('/v1/chat/completions', token.key, { ...chatBody, model: 'gpt-4o-mini' })).status).toBe(200);
      const models = await fetch(`${h.base}/v1/models`, { headers: { authorization: `Bearer ${token.key}` } });
      const list = (await models.json()) as { object: string; data: Array<{ id: string; object: string }> };
      expect(list.object).toBe('list');
      expect(list.data.map((m) => m.id).sort()).toEqual(['claude-sonnet-4-20250514', 'gpt-4o-mini']);
      const one = await fetch(`${h.base}/v1/models/gpt-4o`, { headers: { authorization: `Bearer ${token.key}` } });
      expect(one.status).toBe(404);
      expect(await one.json()).toMatchObject({ error: { code: 'model_not_found' } });
    });
  });

  describe('requests', () => {
    it('answers 503 naming a model no provider serves', async () => {
      const response = await post('/v1/chat/completions', h.key, { ...chatBody, model: 'no-such-model' });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        error: { code: 'model_not_found', message: expect.stringContaining('no-such-model') },
      });
    });

    it('answers 400 without a model where one is needed, and for a body that is not JSON', async () => {
      const missing = await post('/v1/chat/completions', h.key, { messages: [] });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ error: { message: 'model is required' } });
      expect((await post('/v1/chat/completions', h.key, '{"model":')).status).toBe(400);
      expect((await post('/v1/messages', h.key, { messages: [] })).status).toBe(400);
    });

    it('uses the endpoint default where NewAPI has one', async () => {
      const speech = await post('/v1/audio/speech', h.key, { input: 'hello', voice: 'alloy' });
      expect(speech.status).toBe(200);
      expect(speech.headers.get('content-type')).toContain('audio');
    });

    it('answers 413 in the surface shape for a body over the limit, before reading it all', async () => {
      const big = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(1_200_000) }] });
      const response = await post('/v1/chat/completions', h.key, big);
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: { code: 'request_too_large' } });
      const anthropic = await post('/v1/messages', h.key, big);
      expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    });

    it('answers unknown /v1 paths with 404 in the OpenAI shape', async () => {
      const response = await post('/v1/unknown/thing', h.key, {});
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({
        error: { message: 'Invalid URL (POST /v1/unknown/thing)', type: 'invalid_request_error' },
      });
    });

    it('reads no database on the request path', async () => {
      await h.flushUsage();
      const before = h.app.queries.length;
      const response = await rawRequest(
        h.base,
        'POST',
        '/v1/chat/completions',
        [
          ['Authorization', `Bearer ${h.key}`],
          ['Content-Type', 'application/json'],
        ],
        Buffer.from(JSON.stringify(chatBody)),
      );
      expect(response.status).toBe(200);
      // The usage writer's own writes run beside requests, on its timer.
      const background = /insert into .usage_logs.|update .aggregated_tokens. set .accessed_at./i;
      const during = h.app.queries.slice(before).filter((sql) => !background.test(sql));
      expect(during).toEqual([]);
    });
  });

  describe('every endpoint', () => {
    const jsonCalls: Array<[string, Record<string, unknown>]> = [
      ['/v1/completions', { model: 'gpt-4o', prompt: 'x' }],
      ['/v1/responses', { model: 'gpt-4o', input: 'x' }],
      ['/v1/rerank', { model: 'gpt-4o', query: 'q', documents: ['a', 'b'] }],
      ['/v1/moderations', { model: 'gpt-4o', input: 'x' }],
      ['/v1/images/generations', { model: 'dall-e-3', prompt: 'a cat' }],
      ['/v1/video/generations', { model: 'gpt-4o', prompt: 'a cat' }],
      ['/v1/models/gemini-2.5-flash:generateContent', { contents: [{ parts: [{ text: 'x' }] }] }],
      ['/v1beta/models/gemini-2.5-flash:embedContent', { content: { parts: [{ text: 'x' }] } }],
    ];
    it.each(jsonCalls)('%s reaches the upstream with the same path and body', async (path, body) => {
      const response = await post(path, h.key, body);
      const seen = h.fakes.A!.requests.at(-1)!;
      expect(seen.path).toBe(path);
      expect(seen.body.toString()).toBe(JSON.stringify(body));
      // The fake answers what NewAPI answers; the gateway passes that status on.
      expect([200, 404]).toContain(response.status);
    });

    it('reads usage from a gzip-compressed answer and passes the compressed bytes on', async () => {
      h.fakes.A!.update({ gzipJson: true });
      try {
        const response = await rawRequest(
          h.base,
          'POST',
          '/v1/chat/completions',
          [
            ['Authorization', `Bearer ${h.key}`],
            ['Content-Type', 'application/json'],
            ['Accept-Encoding', 'gzip'],
          ],
          Buffer.from(JSON.stringify(chatBody)),
        );
        expect(response.headers['content-encoding']).toBe('gzip');
        expect(JSON.parse(gunzipSync(response.body).toString())).toMatchObject({ usage: { completion_tokens: 10 } });
        const last = (await h.usageRows()).at(-1)!;
        expect(last).toMatchObject({ status: 1, completion_tokens: 10, endpoint: '/v1/chat/completions' });
        expect(last.prompt_tokens as number).toBeGreaterThan(0);
      } finally {
        h.fakes.A!.update({ gzipJson: false });
      }
    });
  });

  describe('model lists and billing', () => {
    it('lists models in the OpenAI and Gemini shapes', async () => {
      const openai = (await (
        await fetch(`${h.base}/v1/models`, { headers: { authorization: `Bearer ${h.key}` } })
      ).json()) as {
        data: Array<{ id: string; owned_by: string }>;
      };
      expect(openai.data.map((m) => m.id)).toContain('gpt-4o');
      expect(JSON.stringify(openai)).not.toMatch(/gateway|aggregat/i);
      const gemini = (await (
        await fetch(`${h.base}/v1beta/models`, { headers: { 'x-goog-api-key': h.key } })
      ).json()) as {
        models: Array<{ name: string }>;
      };
      expect(gemini.models.map((m) => m.name)).toContain('models/gemini-2.5-flash');
    });

    it('records when a token was last used once its usage is written', async () => {
      const token = await h.createToken({ name: 'last-used' });
      const accessedAt = async () =>
        (
          await h.app.request({ method: 'GET', url: `/api/agg-token/${token.id}`, headers: { cookie: h.cookie } })
        ).json<{ data: { accessed_at: number } }>().data.accessed_at;
      expect(await accessedAt()).toBe(0);
      const before = Math.floor(Date.now() / 1000);
      expect((await post('/v1/chat/completions', token.key, chatBody)).status).toBe(200);
      await h.flushUsage();
      const at = await accessedAt();
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    });

    it('answers the billing endpoints from the key and its recorded usage', async () => {
      await h.flushUsage();
      const headers = { authorization: `Bearer ${h.key}` };
      const subscription = (await (
        await fetch(`${h.base}/dashboard/billing/subscription`, { headers })
      ).json()) as Record<string, unknown>;
      expect(subscription).toMatchObject({
        object: 'billing_subscription',
        access_until: 0,
        hard_limit_usd: expect.any(Number),
      });
      const usage = (await (await fetch(`${h.base}/v1/dashboard/billing/usage`, { headers })).json()) as {
        total_usage: number;
      };
      const rows = await h.usageRows();
      const tokenId = rows.find((r) => r.status === 1)!.aggregated_token_id;
      const cost = rows
        .filter((r) => r.aggregated_token_id === tokenId)
        .reduce((sum, r) => sum + (r.cost_usd as number), 0);
      expect(usage.total_usage).toBeCloseTo(cost * 100, 3);
      expect(usage.total_usage).toBeGreaterThan(0);
      const bad = await fetch(`${h.base}/dashboard/billing/usage?start_date=yesterday`, { headers });
      expect(bad.status).toBe(400);
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { FakeNewApi, fakeCompletionText, fakeModel, fakeToken, fakeUsage, type FakeNewApiOptions } from './index.js';
import { bodyOf as json, dig, relayPost, sseFrames, sseJson } from './test-helpers.js';

let fake: FakeNewApi;
const start = async (options: FakeNewApiOptions = {}) => (fake = await FakeNewApi.start(options));
afterEach(() => fake?.close());

const key = () => fake.state.tokens[0]!.key;
const promptTokens = (body: unknown) => Math.ceil(Buffer.byteLength(JSON.stringify(body)) / 4);

describe('fake NewAPI relay: OpenAI chat', () => {
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }] };

  it('answers JSON with the model echoed and deterministic usage', async () => {
    await start();
    const response = await relayPost(fake, '/v1/chat/completions', request);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-new-api-version')).toBe('v1.0.0-rc.21');
    const body = await json(response);
    const prompt = promptTokens(request);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'c0 c1 c2 c3 c4 ' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: prompt, completion_tokens: 10, total_tokens: prompt + 10 },
    });
    expect(fakeUsage(Buffer.byteLength(JSON.stringify(request)), 5)).toEqual({
      prompt,
      completion: 10,
      total: prompt + 10,
    });
  });

  it('streams chunks, a usage chunk with choices [] and [DONE]', async () => {
    await start({ streamChunks: 3 });
    const response = await relayPost(fake, '/v1/chat/completions', { ...request, stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const text = await response.text();
    const frames = sseFrames(text);
    expect(frames.map((f) => f.event)).toEqual(Array(6).fill(undefined));
    expect(frames.at(-1)!.data).toBe('[DONE]');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = sseJson(text);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'gpt-4o-mini')).toBe(true);
    expect(chunks[0]).toMatchObject({ choices: [{ delta: { role: 'assistant', content: 'c0 ' } }] });
    const content = chunks.map((c) => dig(c, 'choices', 0, 'delta', 'content')).filter((t) => typeof t === 'string');
    expect(content.join('')).toBe(fakeCompletionText(3));
    expect(chunks[3]).toMatchObject({ choices: [{ delta: {}, finish_reason: 'stop' }] });
    const prompt = promptTokens({ ...request, stream: true });
    expect(chunks[4]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: prompt, completion_tokens: 6, total_tokens: prompt + 6 },
    });
  });

  it('omits the usage chunk for include_usage:false (still ends with [DONE])', async () => {
    await start();
    const body = { ...request, stream: true, stream_options: { include_usage: false } };
    const frames = sseFrames(await (await relayPost(fake, '/v1/chat/completions', body)).text());
    expect(frames).toHaveLength(5 + 1 + 1);
    expect(frames.some((f) => f.data.includes('"usage"'))).toBe(false);
    expect(frames.at(-1)!.data).toBe('[DONE]');
    const withUsage = { ...request, stream: true, stream_options: { include_usage: true } };
    const again = sseJson(await (await relayPost(fake, '/v1/chat/completions', withUsage)).text());
    expect(again.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 10 } });
  });

  it('paces chunks by streamIntervalMs', async () => {
    await start({ streamChunks: 3, streamIntervalMs: 40 });
    const t0 = Date.now();
    await (await relayPost(fake, '/v1/chat/completions', { ...request, stream: true })).text();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5 * 40 - 10);
  });

  it('serves /v1/completions JSON and SSE', async () => {
    await start();
    const body = await json(await relayPost(fake, '/v1/completions', { model: 'gpt-4o-mini', prompt: 'x' }));
    expect(body).toMatchObject({ object: 'text_completion', choices: [{ text: 'c0 c1 c2 c3 c4 ' }] });
    const text = await (await relayPost(fake, '/v1/completions', { model: 'gpt-4o-mini', stream: true })).text();
    expect(sseJson(text).at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 10 } });
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('charges the call to the token and the user', async () => {
    await start({
      models: [
        fakeModel('m', { model_ratio: 2, completion_ratio: 3 }),
        fakeModel('p', { quota_type: 1, model_price: 0.01 }),
      ],
      groupRatio: { default: 0.5 },
      quota: 1_000_000,
    });
    const body = { model: 'm', messages: [] };
    await relayPost(fake, '/v1/chat/completions', body);
    const cost = Math.round((promptTokens(body) + 10 * 3) * 2 * 0.5);
    expect(fake.state.quota).toBe(1_000_000 - cost);
    expect(fake.state.usedQuota).toBe(cost);
    expect(fake.state.requestCount).toBe(1);
    expect(fake.state.tokens[0]).toMatchObject({ remain_quota: 5_000_000 - cost, used_quota: cost });
    await relayPost(fake, '/v1/chat/completions', { model: 'p' });
    expect(fake.state.usedQuota).toBe(cost + 2500);
  });
});

describe('fake NewAPI relay: auth and routing errors', () => {
  const chat = { model: 'gpt-4o-mini', messages: [] };

  it('accepts Bearer sk-<key>, bearer, bare key and key without sk-', async () => {
    await start();
    for (const authorization of [`Bearer sk-${key()}`, `bearer ${key()}`, `sk-${key()}`, key()]) {
      const response = await fetch(`${fake.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization },
        body: JSON.stringify(chat),
      });
      expect(response.status).toBe(200);
    }
  });

  it('401 for missing, unknown, disabled, expired and exhausted keys', async () => {
    await start({
      tokens: [
        fakeToken({ id: 1 }),
        fakeToken({ id: 2, status: 2 }),
        fakeToken({ id: 3, expired_time: 1_000_000 }),
        fakeToken({ id: 4, remain_quota: 0 }),
        fakeToken({ id: 5, remain_quota: 0, unlimited_quota: true }),
      ],
    });
    const call = (authorization?: string) =>
      fetch(`${fake.url}/v1/chat/completions`, {
        method: 'POST',
        headers: authorization ? { authorization } : {},
        body: JSON.stringify(chat),
      });
    const none = await call();
    expect(none.status).toBe(401);
    const requestId = none.headers.get('x-oneapi-request-id');
    expect(await none.json()).toEqual({
      error: { message: `Invalid token (request id: ${requestId})`, type: 'new_api_error', code: '' },
    });
    expect((await call('Bearer sk-unknown')).status).toBe(401);
    for (const t of fake.state.tokens.slice(1, 4)) expect((await call(`Bearer sk-${t.key}`)).status).toBe(401);
    expect(fake.state.tokens.map((t) => t.status)).toEqual([1, 2, 3, 4, 1]);
    expect((await call(`Bearer sk-${fake.state.tokens[4]!.key}`)).status).toBe(200);
  });

  it('refuses a pinned channel for a common user', async () => {
    await start();
    const response = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer sk-${key()}-3` },
      body: JSON.stringify(chat),
    });
    expect(response.status).toBe(403);
  });

  it('503 model_not_found when no channel serves the model in the group', async () => {
    await start({ models: [fakeModel('vip-only', { enable_groups: ['vip'] })] });
    const response = await relayPost(fake, '/v1/chat/completions', { model: 'vip-only' });
    expect(response.status).toBe(503);
    const requestId = response.headers.get('x-oneapi-request-id');
    expect(await response.json()).toEqual({
      error: {
        message: `No available channel for model vip-only under group default (distributor) (request id: ${requestId})`,
        type: 'new_api_error',
        code: 'model_not_found',
      },
    });
    fake.state.tokens[0]!.group = 'vip';
    expect((await relayPost(fake, '/v1/chat/completions', { model: 'vip-only' })).status).toBe(200);
    const missing = await relayPost(fake, '/v1/chat/completions', { model: 'nope' });
    expect(dig(await json(missing), 'error', 'message')).toContain('model nope under group vip');
  });

  it('enforces model limits with 403', async () => {
    await start({ tokens: [fakeToken({ id: 1, model_limits_enabled: true, model_limits: 'gpt-4o,gpt-4o-mini' })] });
    expect((await relayPost(fake, '/v1/chat/completions', { model: 'gpt-4o' })).status).toBe(200);
    const denied = await relayPost(fake, '/v1/chat/completions', { model: 'tts-1' });
    expect(denied.status).toBe(403);
    expect(dig(await json(denied), 'error', 'message')).toMatch(
      /^This token has no access to model tts-1 \(request id: /,
    );
  });

  it('400 for a missing model or a non-JSON body; 404 for unknown paths', async () => {
    await start();
    expect((await relayPost(fake, '/v1/chat/completions', { messages: [] })).status).toBe(400);
    const bad = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key()}` },
      body: '{nope',
    });
    expect(bad.status).toBe(400);
    const unknown = await relayPost(fake, '/v1/xyz', {});
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { message: 'Invalid URL (POST /v1/xyz)', type: 'invalid_request_error', param: '', code: '' },
    });
  });

  it('403 insufficient_user_quota when the user has no quota (Claude shape on /v1/messages)', async () => {
    await start({ quota: 0 });
    const openai = await relayPost(fake, '/v1/chat/completions', chat);
    expect(openai.status).toBe(403);
    expect((await json(openai)).error).toMatchObject({ code: 'insufficient_user_quota', param: '' });
    const claude = await relayPost(fake, '/v1/messages', { model: 'claude-sonnet-4-20250514', max_tokens: 5 });
    expect(claude.status).toBe(403);
    expect(await json(claude)).toMatchObject({ type: 'error', error: { type: 'new_api_error' } });
  });
});

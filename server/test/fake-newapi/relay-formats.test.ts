import { afterEach, describe, expect, it } from 'vitest';
import { FakeNewApi, fakeModel, fakeSpeech, fakeToken, type FakeNewApiOptions } from './index.js';
import { bodyOf as json, dig, pluck, relayPost, sseFrames } from './test-helpers.js';

let fake: FakeNewApi;
const start = async (options: FakeNewApiOptions = {}) => (fake = await FakeNewApi.start(options));
afterEach(() => fake?.close());

const key = () => fake.state.tokens[0]!.key;
const promptTokens = (body: unknown) => Math.ceil(Buffer.byteLength(JSON.stringify(body)) / 4);

describe('fake NewAPI relay: Anthropic, Gemini, Responses', () => {
  const claude = { model: 'claude-sonnet-4-20250514', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };
  const anthropic = (body: unknown) =>
    fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key(), 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('/v1/messages with x-api-key: JSON with input/output tokens', async () => {
    await start();
    const body = await json(await anthropic(claude));
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: claude.model,
      content: [{ type: 'text', text: 'c0 c1 c2 c3 c4 ' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: promptTokens(claude), output_tokens: 10 },
    });
  });

  it('/v1/messages stream: Anthropic event names, no [DONE]', async () => {
    await start({ streamChunks: 2 });
    const response = await anthropic({ ...claude, stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await response.text();
    const frames = sseFrames(text);
    expect(frames.map((f) => f.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(text).not.toContain('[DONE]');
    expect(frames.every((f) => dig(JSON.parse(f.data), 'type') === f.event)).toBe(true);
    expect(JSON.parse(frames[5]!.data)).toMatchObject({ usage: { output_tokens: 4 } });
  });

  it('x-api-key is not honoured on /v1/chat/completions', async () => {
    await start();
    const response = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-api-key': key() },
      body: JSON.stringify({ model: 'gpt-4o-mini' }),
    });
    expect(response.status).toBe(401);
  });

  it('Gemini generateContent with ?key= or x-goog-api-key, usageMetadata', async () => {
    await start();
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
    const url = `${fake.url}/v1beta/models/gemini-2.5-flash:generateContent`;
    const viaQuery = await fetch(`${url}?key=${key()}`, { method: 'POST', body: JSON.stringify(body) });
    expect(await json(viaQuery)).toMatchObject({
      candidates: [{ content: { role: 'model', parts: [{ text: 'c0 c1 c2 c3 c4 ' }] }, finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: promptTokens(body), candidatesTokenCount: 10 },
      modelVersion: 'gemini-2.5-flash',
    });
    const viaHeader = await fetch(url, {
      method: 'POST',
      headers: { 'x-goog-api-key': key() },
      body: JSON.stringify(body),
    });
    expect(viaHeader.status).toBe(200);
    expect((await fetch(url, { method: 'POST', body: JSON.stringify(body) })).status).toBe(401);
  });

  it('Gemini streamGenerateContent: data-only frames, no [DONE]', async () => {
    await start({ streamChunks: 3 });
    const url = `${fake.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=${key()}`;
    const text = await (await fetch(url, { method: 'POST', body: '{"contents":[]}' })).text();
    const frames = sseFrames(text);
    expect(frames).toHaveLength(3);
    expect(frames.every((f) => f.event === undefined)).toBe(true);
    expect(text).not.toContain('[DONE]');
    expect(JSON.parse(frames[2]!.data)).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { candidatesTokenCount: 6 },
    });
  });

  it('Gemini embedContent', async () => {
    await start({ models: [fakeModel('text-embedding-004', { enable_groups: ['default'] })] });
    const url = `${fake.url}/v1beta/models/text-embedding-004:embedContent?key=${key()}`;
    expect(await json(await fetch(url, { method: 'POST', body: '{}' }))).toEqual({
      embedding: { values: [0.1, 0.2, 0.3] },
    });
  });

  it('/v1/responses JSON and event stream', async () => {
    await start({ streamChunks: 2 });
    const body = await json(await relayPost(fake, '/v1/responses', { model: 'gpt-4o', input: 'x' }));
    expect(body).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-4o',
      usage: { output_tokens: 4 },
    });
    const text = await (await relayPost(fake, '/v1/responses', { model: 'gpt-4o', input: 'x', stream: true })).text();
    expect(sseFrames(text).map((f) => f.event)).toEqual([
      'response.created',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.completed',
    ]);
  });
});

describe('fake NewAPI relay: other endpoints', () => {
  it('/v1/audio/transcriptions parses the model from the multipart body', async () => {
    await start();
    const form = () => {
      const data = new FormData();
      data.append('file', new Blob([Buffer.from([0, 1, 2, 255, 13, 10, 45, 45])], { type: 'audio/wav' }), 'a.wav');
      data.append('model', 'whisper-1');
      return data;
    };
    const call = (body: FormData) =>
      fetch(`${fake.url}/v1/audio/transcriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer sk-${key()}` },
        body,
      });
    const response = await call(form());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ text: 'fake transcription by whisper-1' });
    const other = form();
    other.set('model', 'whisper-large');
    const missing = await call(other);
    expect(missing.status).toBe(503);
    expect(dig(await json(missing), 'error', 'message')).toContain('model whisper-large under group default');
    expect(fake.requests[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('/v1/audio/speech answers audio/mpeg bytes', async () => {
    await start();
    const response = await relayPost(fake, '/v1/audio/speech', { model: 'tts-1', input: 'hi', voice: 'alloy' });
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(fakeSpeech('tts-1'));
  });

  it('embeddings, images, rerank and moderations are small but shaped right', async () => {
    await start({
      models: [
        fakeModel('text-embedding-3-small'),
        fakeModel('dall-e-3', { quota_type: 1, model_price: 0.04 }),
        fakeModel('rerank-1'),
        fakeModel('text-moderation-stable'),
      ],
    });
    const embed = { model: 'text-embedding-3-small', input: ['a', 'b'] };
    expect(await json(await relayPost(fake, '/v1/embeddings', embed))).toMatchObject({
      object: 'list',
      model: 'text-embedding-3-small',
      data: [{ index: 0 }, { index: 1 }],
      usage: { prompt_tokens: promptTokens(embed), total_tokens: promptTokens(embed) },
    });
    const images = await json(
      await relayPost(fake, '/v1/images/generations', { model: 'dall-e-3', prompt: 'p', n: 2 }),
    );
    expect(images.data).toHaveLength(2);
    const rerank = await json(await relayPost(fake, '/v1/rerank', { model: 'rerank-1', query: 'q', documents: ['a'] }));
    expect(rerank).toMatchObject({ model: 'rerank-1', results: [{ index: 0, relevance_score: 1 }] });
    const moderation = await json(await relayPost(fake, '/v1/moderations', { input: 'x' }));
    expect(moderation).toMatchObject({ model: 'text-moderation-stable', results: [{ flagged: false }] });
  });

  it('GET /v1/models lists the models the key can use (OpenAI and Anthropic flavours)', async () => {
    await start({
      models: [fakeModel('a'), fakeModel('b', { enable_groups: ['vip'] }), fakeModel('c')],
      tokens: [fakeToken({ id: 1 }), fakeToken({ id: 2, model_limits_enabled: true, model_limits: 'c,zzz' })],
    });
    const list = await json(await fetch(`${fake.url}/v1/models`, { headers: { authorization: `Bearer sk-${key()}` } }));
    expect(list).toMatchObject({ success: true, object: 'list' });
    expect(pluck(list.data, 'id')).toEqual(['a', 'c']);
    expect(dig(list, 'data', 0)).toEqual({
      id: 'a',
      object: 'model',
      created: 1626777600,
      owned_by: 'custom',
      supported_endpoint_types: ['openai'],
    });
    const limited = await json(
      await fetch(`${fake.url}/v1/models`, { headers: { authorization: fake.state.tokens[1]!.key } }),
    );
    expect(pluck(limited.data, 'id')).toEqual(['c', 'zzz']);
    const claude = await json(
      await fetch(`${fake.url}/v1/models`, { headers: { 'x-api-key': key(), 'anthropic-version': '2023-06-01' } }),
    );
    expect(claude).toMatchObject({ first_id: 'a', last_id: 'c', has_more: false });
    expect(dig(claude, 'data', 0)).toEqual({
      id: 'a',
      created_at: '2021-07-20T10:40:00Z',
      display_name: 'a',
      type: 'model',
    });
    expect((await fetch(`${fake.url}/v1/models`)).status).toBe(401);
  });
});

import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { FakeFault } from '../fake-newapi/index.js';
import { describeEachDatabase } from '../helpers/matrix.js';
import { relayCalls, startRelayHarness, type RelayHarness } from './harness.js';

/** Primary (priority 10) and fallback (priority 0): what moves to the fallback, and what does not. */
describeEachDatabase('failover', (database) => {
  let h: RelayHarness;
  let seen = 0;

  beforeAll(async () => {
    h = await startRelayHarness(
      database(),
      [
        { name: 'primary', priority: 10 },
        { name: 'fallback', priority: 0 },
      ],
      { RELAY_FIRST_BYTE_TIMEOUT: '1', RELAY_IDLE_TIMEOUT: '1' },
    );
  });
  afterEach(() => {
    for (const fake of Object.values(h.fakes)) fake.clearFaults();
    // Each case starts from healthy routes; resting after failures has its own tests (health.test.ts).
    h.app.services.health.clear();
  });
  afterAll(() => h.close());

  const chat = (stream = false) =>
    fetch(`${h.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', stream, messages: [{ role: 'user', content: 'hi' }] }),
    });
  /** Calls made upstream and rows recorded since the last look. */
  const since = async () => {
    const calls = relayCalls(h);
    const fresh = calls.slice(seen);
    seen = calls.length;
    const rows = await h.usageRows();
    return { calls: fresh.map((c) => c.provider), rows, last: rows.at(-1)! };
  };

  const retryable: Array<[string, FakeFault]> = [
    ['a 500', { kind: 'status', status: 500, body: '{"error":{"message":"boom"}}' }],
    ['a 429 with Retry-After', { kind: 'status', status: 429, headers: { 'retry-after': '30' } }],
    [
      'a 503 model_not_found',
      { kind: 'status', status: 503, body: '{"error":{"code":"model_not_found","message":"no channel"}}' },
    ],
    ['a 401 (the key is bad)', { kind: 'status', status: 401, body: '{"error":{"message":"Invalid token"}}' }],
    ['a TCP reset before headers', { kind: 'reset' }],
    ['no answer at all (first-byte timeout)', { kind: 'hang' }],
  ];

  it.each(retryable)(
    'moves to the fallback on %s, and records both attempts under one request id',
    async (_name, fault) => {
      await since();
      h.fakes.primary!.addFault({ path: '/v1/chat/completions', fault, times: 1 });
      const response = await chat();
      expect(response.status).toBe(200);
      expect(((await response.json()) as { choices: unknown[] }).choices).toHaveLength(1);
      const { calls, rows } = await since();
      expect(calls).toEqual(['primary', 'fallback']);
      const [failed, served] = rows.slice(-2);
      expect(failed).toMatchObject({ status: 0, provider_name: 'primary', attempt: 1, final: 0 });
      expect(served).toMatchObject({
        status: 1,
        provider_name: 'fallback',
        attempt: 2,
        completion_tokens: 10,
        final: 1,
      });
      expect(served!.request_id).toBe(failed!.request_id);
      expect(failed!.error_type).toMatch(/\w/);
    },
  );

  it.each([
    [
      'a 400 context-length error',
      400,
      '{"error":{"message":"maximum context length exceeded","code":"context_length_exceeded"}}',
    ],
    ['a 400 content-filter error', 400, '{"error":{"message":"flagged","code":"content_filter"}}'],
    ['a 422', 422, '{"error":{"message":"unprocessable"}}'],
  ])('returns %s to the client unchanged, without retrying', async (_name, status, body) => {
    await since();
    h.fakes.primary!.addFault({ path: '/v1/chat/completions', fault: { kind: 'status', status, body }, times: 1 });
    const response = await chat();
    expect(response.status).toBe(status);
    expect(await response.text()).toBe(body);
    const { calls, last } = await since();
    expect(calls).toEqual(['primary']);
    expect(last).toMatchObject({ status: 0, http_status: status, error_type: 'upstream_status', attempt: 1, final: 1 });
    expect(last.error_message).toContain((JSON.parse(body) as { error: { message: string } }).error.message);
  });

  it("relays the last upstream's own error when every route failed", async () => {
    await since();
    for (const fake of Object.values(h.fakes)) {
      fake.addFault({
        path: '/v1/chat/completions',
        fault: { kind: 'status', status: 503, body: '{"error":{"message":"busy"}}' },
        times: 1,
      });
    }
    const response = await chat();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: { message: 'busy' } });
    expect((await since()).calls).toEqual(['primary', 'fallback']);
  });

  it('answers 502 in the OpenAI shape when no upstream could be reached', async () => {
    await since();
    for (const fake of Object.values(h.fakes))
      fake.addFault({ path: '/v1/chat/completions', fault: { kind: 'reset' }, times: 1 });
    const client = new OpenAI({ apiKey: h.key, baseURL: `${h.base}/v1`, maxRetries: 0 });
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_unavailable');
    const { rows } = await since();
    expect(rows.slice(-2).map((r) => r.provider_name)).toEqual(['primary', 'fallback']);
  });

  it('ends a stream cut mid-way with an error event, records it failed, and does not replay it elsewhere', async () => {
    await since();
    h.fakes.primary!.addFault({
      path: '/v1/chat/completions',
      fault: { kind: 'stream-cut', afterChunks: 2 },
      times: 1,
    });
    const response = await chat(true);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('c0 ');
    expect(text).toContain('"code":"stream_interrupted"');
    expect(text).not.toContain('[DONE]');
    const { calls, last } = await since();
    expect(calls).toEqual(['primary']);
    expect(last).toMatchObject({ status: 0, provider_name: 'primary', error_type: 'stream_interrupted', is_stream: 1 });
  });

  it('ends a stream that stalls (idle timeout) the same way', async () => {
    await since();
    h.fakes.primary!.addFault({
      path: '/v1/chat/completions',
      fault: { kind: 'stream-stall', afterChunks: 1 },
      times: 1,
    });
    const text = await (await chat(true)).text();
    expect(text).toContain('"code":"stream_interrupted"');
    const { last } = await since();
    expect(last).toMatchObject({ status: 0, error_type: 'stream_interrupted' });
    expect(last.error_message).toMatch(/silent|idle/);
  });

  it('aborts the upstream at once when the client disconnects mid-stream, keeping the record', async () => {
    await since();
    h.fakes.primary!.update({ streamChunks: 40, streamIntervalMs: 50 });
    try {
      const controller = new AbortController();
      const response = await fetch(`${h.base}/v1/chat/completions`, {
        method: 'POST',
        signal: controller.signal,
        headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [] }),
      });
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
      const deadline = Date.now() + 1500;
      while (!h.fakes.primary!.requests.at(-1)!.clientAborted && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // 40 chunks at 50 ms would take 2 s; the upstream saw the abort long before.
      expect(h.fakes.primary!.requests.at(-1)!.clientAborted).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { calls, last } = await since();
      expect(calls).toEqual(['primary']);
      expect(last).toMatchObject({ status: 0, error_type: 'client_closed', provider_name: 'primary' });
    } finally {
      h.fakes.primary!.update({ streamChunks: 5, streamIntervalMs: 0 });
    }
  });

  it('records a stream that ends without its end marker as failed, passing it on as it came', async () => {
    await since();
    h.fakes.primary!.addFault({ path: '/v1/chat/completions', fault: { kind: 'stream-no-done' }, times: 1 });
    const text = await (await chat(true)).text();
    expect(text).toContain('c4 ');
    expect(text).not.toContain('[DONE]');
    expect(text).not.toContain('stream_interrupted');
    const { calls, last } = await since();
    expect(calls).toEqual(['primary']);
    expect(last).toMatchObject({ status: 0, error_type: 'stream_incomplete', is_stream: 1, completion_tokens: 10 });
  });

  it('waits for a slow first token within the first-byte timeout, without failing over', async () => {
    await since();
    h.fakes.primary!.addFault({ path: '/v1/chat/completions', fault: { kind: 'delay', ms: 600 }, times: 1 });
    const started = Date.now();
    const response = await chat();
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    const { calls, last } = await since();
    expect(calls).toEqual(['primary']);
    expect(last).toMatchObject({ status: 1, provider_name: 'primary' });
    expect(last.first_byte_ms as number).toBeGreaterThanOrEqual(550);
  });

  it('passes a malformed chunk through without crashing', async () => {
    h.fakes.primary!.addFault({
      path: '/v1/chat/completions',
      fault: { kind: 'stream-malformed', atChunk: 1 },
      times: 1,
    });
    const text = await (await chat(true)).text();
    expect(text).toContain('data: {not json');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    expect((await since()).last).toMatchObject({ status: 1, completion_tokens: 10 });
  });
});

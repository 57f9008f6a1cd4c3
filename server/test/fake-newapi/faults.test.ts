import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeNewApi, type FakeNewApiOptions } from './index.js';
import { mgmt, readUntil, relayPost, sseFrames, waitFor } from './test-helpers.js';

let fake: FakeNewApi;
const start = async (options: FakeNewApiOptions = {}) => (fake = await FakeNewApi.start(options));
afterEach(() => fake?.close());

const streamChat = () => relayPost(fake, '/v1/chat/completions', { model: 'gpt-4o-mini', stream: true, messages: [] });

/** Sends raw bytes on a fresh socket; resolves with what came back before the socket closed. */
function rawExchange(port: number, request: string): Promise<{ data: string; error: string | undefined }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let error: string | undefined;
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
    socket.on('close', () => resolve({ data, error }));
    socket.write(request);
  });
}

describe('fake NewAPI: recording', () => {
  it('records method, path, query, raw url, headers and the exact body bytes', async () => {
    await start();
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x7b]);
    await fetch(`${fake.url}/v1/chat/completions?a=1&b=two%20words`, {
      method: 'POST',
      headers: { 'content-encoding': 'gzip', 'x-custom': 'yes', authorization: 'Bearer sk-x' },
      body: bytes,
    });
    await mgmt(fake, '/api/user/self');
    expect(fake.requests).toHaveLength(2);
    const [relay, self] = fake.requests;
    expect(relay).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      query: { a: '1', b: 'two words' },
      rawUrl: '/v1/chat/completions?a=1&b=two%20words',
    });
    expect(Buffer.compare(relay!.body, bytes)).toBe(0);
    expect(relay!.headers['content-encoding']).toBe('gzip');
    expect(relay!.headers['x-custom']).toBe('yes');
    expect(relay!.at).toBeLessThanOrEqual(self!.at);
    expect(self!.headers['new-api-user']).toBe('1');
    expect(self!.body.length).toBe(0);
    expect(fake.requestsTo('GET', '/api/user/self')).toEqual([self]);
    expect(fake.requestsTo('post', /^\/v1\//)).toEqual([relay]);
  });

  it('records faulted requests too', async () => {
    await start();
    fake.addFault({ path: '/api/status', fault: { kind: 'status', status: 500 } });
    await fetch(`${fake.url}/api/status`);
    expect(fake.requestsTo('GET', '/api/status')).toHaveLength(1);
  });
});

describe('fake NewAPI: faults', () => {
  it('status: any status with body and headers (429 + Retry-After, empty body)', async () => {
    await start();
    fake.addFault({
      method: 'GET',
      path: '/api/user/self',
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '7' } },
    });
    fake.addFault({ path: '/api/status', fault: { kind: 'status', status: 503, body: '{"error":"down"}' } });
    const limited = await mgmt(fake, '/api/user/self');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('x-oneapi-request-id')).toBeTruthy();
    expect(await limited.text()).toBe('');
    const down = await fetch(`${fake.url}/api/status`);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toContain('application/json');
    expect(await down.json()).toEqual({ error: 'down' });
  });

  it('envelope-error, malformed and empty-json answer HTTP 200', async () => {
    await start();
    fake.addFault({ path: '/api/user/self', fault: { kind: 'envelope-error', message: 'boom' }, times: 1 });
    fake.addFault({ path: '/api/pricing', fault: { kind: 'malformed' } });
    fake.addFault({ path: '/api/status', fault: { kind: 'empty-json' } });
    const envelope = await mgmt(fake, '/api/user/self');
    expect(envelope.status).toBe(200);
    expect(await envelope.json()).toEqual({ success: false, message: 'boom' });
    const malformed = await fetch(`${fake.url}/api/pricing`);
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();
    expect(await (await fetch(`${fake.url}/api/status`)).json()).toEqual({ success: true, data: null });
  });

  it('times: applies N times then drops the rule; first matching rule wins; clearFaults', async () => {
    await start();
    fake.addFault({ path: /^\/api\/status$/, fault: { kind: 'status', status: 500 }, times: 2 });
    fake.addFault({ path: '/api/status', fault: { kind: 'status', status: 502 } });
    fake.addFault({ method: 'POST', path: '/api/pricing', fault: { kind: 'status', status: 418 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${fake.url}/api/status`)).status);
    expect(statuses).toEqual([500, 500, 502, 502]);
    expect((await fetch(`${fake.url}/api/pricing`)).status).toBe(200); // method does not match
    fake.clearFaults();
    expect((await fetch(`${fake.url}/api/status`)).status).toBe(200);
  });

  it('delay: answers normally after ms; latencyMs delays every answer', async () => {
    await start();
    fake.addFault({ path: '/api/status', fault: { kind: 'delay', ms: 250 }, times: 1 });
    let t0 = Date.now();
    const delayed = await fetch(`${fake.url}/api/status`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    expect(((await delayed.json()) as { success: boolean }).success).toBe(true);
    t0 = Date.now();
    await fetch(`${fake.url}/api/status`);
    expect(Date.now() - t0).toBeLessThan(200); // the rule was used up
    fake.update({ latencyMs: 80 });
    t0 = Date.now();
    await fetch(`${fake.url}/api/status`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
  });

  it('reset: the socket is destroyed before any response byte', async () => {
    await start();
    fake.addFault({ path: '/api/status', fault: { kind: 'reset' } });
    await expect(fetch(`${fake.url}/api/status`)).rejects.toThrow();
    const raw = await rawExchange(fake.port, 'GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(raw.data).toBe('');
    expect(fake.requestsTo('GET', '/api/status')).toHaveLength(2);
  });

  it('hang: never answers, and close() releases it promptly', async () => {
    await start();
    fake.addFault({ path: '/api/user/self', fault: { kind: 'hang' } });
    const pending = mgmt(fake, '/api/user/self');
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => fake.requests.length === 1);
    const raced = await Promise.race([outcome, new Promise((r) => setTimeout(() => r('pending'), 100))]);
    expect(raced).toBe('pending');
    const t0 = Date.now();
    await fake.close();
    expect(Date.now() - t0).toBeLessThan(500);
    expect(await outcome).toBe('failed');
  });

  it('close() also ends pending delays, latency and slow streams', async () => {
    await start({ streamIntervalMs: 10_000 });
    fake.addFault({ path: '/api/status', fault: { kind: 'delay', ms: 60_000 } });
    const delayed = fetch(`${fake.url}/api/status`).catch(() => 'failed');
    const stream = await streamChat();
    await waitFor(() => fake.requests.length === 2);
    const t0 = Date.now();
    await fake.close();
    expect(Date.now() - t0).toBeLessThan(500);
    expect(await delayed).toBe('failed');
    await expect(stream.text()).rejects.toThrow();
  });

  it('stream-cut: N frames, then the socket dies', async () => {
    await start();
    fake.addFault({ path: '/v1/chat/completions', fault: { kind: 'stream-cut', afterChunks: 2 } });
    const response = await streamChat();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    await expect(
      (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += Buffer.from(value).toString();
        }
      })(),
    ).rejects.toThrow();
    expect(sseFrames(text)).toHaveLength(2);
  });

  it('stream-stall: N frames, then silence with the socket open until close()', async () => {
    await start();
    fake.addFault({ path: '/v1/chat/completions', fault: { kind: 'stream-stall', afterChunks: 3 }, times: 1 });
    const response = await streamChat();
    const { text, reader } = await readUntil(response, (t) => sseFrames(t).length >= 3);
    expect(sseFrames(text)).toHaveLength(3);
    const next = reader.read().then(
      (r) => (r.done ? 'done' : 'data'),
      () => 'error',
    );
    expect(await Promise.race([next, new Promise((r) => setTimeout(() => r('silent'), 150))])).toBe('silent');
    await fake.close();
    expect(await next).toBe('error');
  });

  it('stream-malformed: inserts `data: {not json` at index N and goes on', async () => {
    await start({ streamChunks: 3 });
    fake.addFault({ path: '/v1/chat/completions', fault: { kind: 'stream-malformed', atChunk: 1 } });
    const frames = sseFrames(await (await streamChat()).text());
    expect(frames[1]!.data).toBe('{not json');
    // 3 content + finish + usage + [DONE] + the malformed one.
    expect(frames).toHaveLength(7);
    expect(frames.at(-1)!.data).toBe('[DONE]');
  });

  it('stream-no-done: the stream ends cleanly without [DONE]', async () => {
    await start();
    fake.addFault({ path: '/v1/chat/completions', fault: { kind: 'stream-no-done' } });
    const frames = sseFrames(await (await streamChat()).text());
    expect(frames.some((f) => f.data === '[DONE]')).toBe(false);
    expect(JSON.parse(frames.at(-1)!.data)).toMatchObject({ choices: [], usage: { completion_tokens: 10 } });
  });

  it('stream faults only match (and are only consumed by) streaming requests', async () => {
    await start();
    fake.addFault({ path: '/v1/chat/completions', fault: { kind: 'stream-cut', afterChunks: 0 }, times: 1 });
    const plain = await relayPost(fake, '/v1/chat/completions', { model: 'gpt-4o-mini', messages: [] });
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as { object: string }).object).toBe('chat.completion');
    await expect((await streamChat()).text()).rejects.toThrow();
    expect((await (await streamChat()).text()).endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

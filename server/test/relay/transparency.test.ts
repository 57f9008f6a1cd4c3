import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/matrix.js';
import { startRelayHarness, type RelayHarness } from './harness.js';
import { rawRequest } from './raw-client.js';

/** SEED "隐匿策略": what the upstream receives is what the client sent, with only the key swapped. */
describeEachDatabase('transparency', (database) => {
  let h: RelayHarness;
  const fake = () => h.fakes.A!;
  const upstreamKey = () => `sk-${fake().state.tokens[0]!.key}`;

  beforeAll(async () => {
    h = await startRelayHarness(database(), [{ name: 'A' }]);
  });
  afterAll(() => h.close());

  it('sends the exact body bytes, the same path and query, and the client headers minus proxy ones', async () => {
    // Odd spacing, key order, unicode and an escaped slash: any re-serialisation would change these bytes.
    const body = Buffer.from(
      '{ "stream":false,"model" : "gpt-4o",\n"messages":[{"role":"user","content":"你好 \\/ \\u00e9"}] }',
    );
    const response = await rawRequest(
      h.base,
      'POST',
      '/v1/chat/completions?foo=bar&x=1',
      [
        ['Authorization', `Bearer ${h.key}`],
        ['Content-Type', 'application/json'],
        ['User-Agent', 'my-client/1.2.3'],
        ['Accept-Encoding', 'gzip'],
        ['OpenAI-Organization', 'org-123'],
        ['X-Forwarded-For', '203.0.113.7'],
        ['X-Forwarded-Host', 'evil.example'],
        ['X-Real-IP', '203.0.113.7'],
        ['Forwarded', 'for=203.0.113.7'],
        ['Via', '1.1 corporate-proxy'],
        ['CF-Connecting-IP', '203.0.113.7'],
        ['True-Client-IP', '203.0.113.7'],
        ['Cookie', 'session=secret'],
        ['Proxy-Authorization', 'Basic abc'],
      ],
      body,
    );
    expect(response.status, response.body.toString()).toBe(200);
    const seen = fake().requests.at(-1)!;
    expect(seen.body.equals(body)).toBe(true);
    expect(seen.rawUrl).toBe('/v1/chat/completions?foo=bar&x=1');
    const names = Object.keys(seen.headers).sort();
    expect(names).toEqual(
      [
        'accept-encoding',
        'authorization',
        'connection',
        'content-length',
        'content-type',
        'host',
        'openai-organization',
        'user-agent',
      ].sort(),
    );
    expect(seen.headers).toMatchObject({
      authorization: `Bearer ${upstreamKey()}`,
      'user-agent': 'my-client/1.2.3',
      'accept-encoding': 'gzip',
      'openai-organization': 'org-123',
      'content-length': String(body.length),
      host: new URL(fake().url).host,
    });
  });

  it('passes the upstream status, headers and bytes back, and adds no header of its own', async () => {
    const response = await rawRequest(
      h.base,
      'POST',
      '/v1/chat/completions',
      [
        ['Authorization', `Bearer ${h.key}`],
        ['Content-Type', 'application/json'],
      ],
      Buffer.from('{"model":"gpt-4o","messages":[]}'),
    );
    const upstreamId = fake().requests.at(-1)!.requestId;
    expect(response.headers['x-oneapi-request-id']).toBe(upstreamId);
    expect(response.headers['x-new-api-version']).toBeDefined();
    const ownHeaders = Object.keys(response.headers).filter(
      (name) =>
        ![
          'content-type',
          'content-length',
          'transfer-encoding', // framing: the upstream chunked its answer, so does the gateway
          'date',
          'connection',
          'keep-alive',
          'x-oneapi-request-id',
          'x-new-api-version',
        ].includes(name),
    );
    expect(ownHeaders).toEqual([]);
    expect(JSON.parse(response.body.toString())).toMatchObject({ object: 'chat.completion', model: 'gpt-4o' });
  });

  it('swaps x-api-key on /v1/messages and ?key= on Gemini paths, leaving no ag- key upstream', async () => {
    await rawRequest(
      h.base,
      'POST',
      '/v1/messages',
      [
        ['x-api-key', h.key],
        ['anthropic-version', '2023-06-01'],
        ['content-type', 'application/json'],
      ],
      Buffer.from('{"model":"claude-sonnet-4-20250514","max_tokens":5,"messages":[{"role":"user","content":"x"}]}'),
    );
    expect(fake().requests.at(-1)!.headers['x-api-key']).toBe(upstreamKey());
    expect(fake().requests.at(-1)!.headers.authorization).toBeUndefined();

    const gemini = await rawRequest(
      h.base,
      'POST',
      `/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=${h.key}`,
      [['content-type', 'application/json']],
      Buffer.from('{"contents":[{"parts":[{"text":"x"}]}]}'),
    );
    expect(gemini.status).toBe(200);
    const seen = fake().requests.at(-1)!;
    expect(seen.query).toEqual({ alt: 'sse', key: upstreamKey() });
    for (const request of fake().requests) {
      expect(JSON.stringify(request.headers) + request.rawUrl).not.toContain(h.key.slice(3));
    }
  });

  it('routes a multipart upload by its model field and passes the bytes unchanged', async () => {
    const boundary = '----form7MA4YWxkTrZu0gW';
    const audio = Buffer.from([0x52, 0x49, 0x46, 0x46, 0x00, 0xff, 0x10, 0x0d, 0x0a]);
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
      ),
      audio,
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--${boundary}--\r\n`,
      ),
    ]);
    const response = await rawRequest(
      h.base,
      'POST',
      '/v1/audio/transcriptions',
      [
        ['Authorization', `Bearer ${h.key}`],
        ['Content-Type', `multipart/form-data; boundary=${boundary}`],
      ],
      body,
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toHaveProperty('text');
    expect(fake().requests.at(-1)!.body.equals(body)).toBe(true);
  });

  it('streams SSE through as the upstream sends it', async () => {
    fake().update({ streamChunks: 4, streamIntervalMs: 60 });
    try {
      const started = Date.now();
      const response = await fetch(`${h.base}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [] }),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
      const first = await reader.read();
      const firstAt = Date.now() - started;
      let rest = '';
      for (let part = await reader.read(); !part.done; part = await reader.read())
        rest += new TextDecoder().decode(part.value);
      const total = Date.now() - started;
      expect(new TextDecoder().decode(first.value)).toContain('c0 ');
      // The first chunk arrived well before the whole stream did: nothing was buffered.
      expect(total - firstAt).toBeGreaterThanOrEqual(150);
      expect(rest.trim().endsWith('data: [DONE]')).toBe(true);
    } finally {
      fake().update({ streamChunks: 5, streamIntervalMs: 0 });
    }
  });
});

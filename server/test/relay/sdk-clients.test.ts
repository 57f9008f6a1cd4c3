import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/matrix.js';
import { startRelayHarness, type RelayHarness } from './harness.js';

/** The official clients, pointed at the gateway with an `ag-` key, against fake NewAPI upstreams. */
describeEachDatabase('relay with the official SDKs', (database) => {
  let h: RelayHarness;
  const upstreamKey = () => `sk-${h.fakes.A!.state.tokens[0]!.key}`;

  beforeAll(async () => {
    h = await startRelayHarness(database(), [{ name: 'A' }]);
  });
  afterAll(() => h.close());

  const lastUpstream = () => h.fakes.A!.requests.at(-1)!;
  const noAgAnywhere = () => {
    const seen = lastUpstream();
    const everything = JSON.stringify(seen.headers) + seen.rawUrl + seen.body.toString('latin1');
    expect(everything).not.toContain(h.key.slice(3));
    expect(everything).not.toContain('ag-');
  };

  it('OpenAI chat completion, JSON', async () => {
    const client = new OpenAI({ apiKey: h.key, baseURL: `${h.base}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(completion.choices[0]?.message.content).toBe('c0 c1 c2 c3 c4 ');
    expect(completion.usage).toMatchObject({ completion_tokens: 10 });
    expect(lastUpstream().headers.authorization).toBe(`Bearer ${upstreamKey()}`);
    expect(lastUpstream().headers['user-agent']).toMatch(/^OpenAI\/JS/);
    noAgAnywhere();
  });

  it('OpenAI chat completion, streaming, with the usage chunk', async () => {
    const client = new OpenAI({ apiKey: h.key, baseURL: `${h.base}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: { completion_tokens: number } | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('c0 c1 c2 c3 c4 ');
    expect(usage?.completion_tokens).toBe(10);
    noAgAnywhere();
  });

  it('OpenAI embeddings', async () => {
    const client = new OpenAI({ apiKey: h.key, baseURL: `${h.base}/v1`, maxRetries: 0 });
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'vector me' });
    expect(result.data[0]?.embedding.length).toBeGreaterThan(0);
  });

  it('Anthropic messages, JSON and streaming, with the key swapped in the header the SDK used', async () => {
    const client = new Anthropic({ apiKey: h.key, baseURL: h.base, maxRetries: 0 });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi claude' }],
    });
    expect(message.usage.output_tokens).toBe(10);
    // This SDK sends its key as a bearer token; the swap follows whatever header the client used.
    expect(lastUpstream().headers.authorization).toBe(`Bearer ${upstreamKey()}`);
    expect(lastUpstream().headers['anthropic-version']).toBeDefined();
    noAgAnywhere();

    const stream = client.messages.stream({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'stream claude' }],
    });
    const final = await stream.finalMessage();
    expect(final.usage.output_tokens).toBe(10);
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'c0 c1 c2 c3 c4 ' });
  });

  it('Gemini generateContent and its stream, with x-goog-api-key swapped', async () => {
    const client = new GoogleGenAI({ apiKey: h.key, httpOptions: { baseUrl: h.base } });
    const response = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi gemini' });
    expect(response.text).toBe('c0 c1 c2 c3 c4 ');
    expect(lastUpstream().path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(lastUpstream().headers['x-goog-api-key']).toBe(upstreamKey());
    noAgAnywhere();

    let streamed = '';
    for await (const chunk of await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'stream gemini',
    })) {
      streamed += chunk.text ?? '';
    }
    expect(streamed).toBe('c0 c1 c2 c3 c4 ');
    expect(lastUpstream().path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
  });

  it('records a usage row per call with the token counts the upstream reported', async () => {
    const rows = await h.usageRows();
    const byEndpoint = (endpoint: string) => rows.filter((r) => r.endpoint === endpoint);
    const chats = byEndpoint('/v1/chat/completions');
    expect(chats).toHaveLength(2);
    expect(chats.map((r) => r.is_stream)).toEqual([0, 1]);
    for (const row of [...chats, ...byEndpoint('/v1/messages'), ...byEndpoint('/v1beta/models/*')]) {
      expect(row).toMatchObject({ status: 1, http_status: 200, completion_tokens: 10, provider_name: 'A', attempt: 1 });
      expect(row.prompt_tokens as number).toBeGreaterThan(0);
      expect(row.total_tokens).toBe((row.prompt_tokens as number) + 10);
      expect(row.cost_usd as number).toBeGreaterThan(0);
    }
    expect(byEndpoint('/v1/messages')).toHaveLength(2);
    expect(byEndpoint('/v1beta/models/*')).toHaveLength(2);
    expect(byEndpoint('/v1/embeddings')[0]).toMatchObject({ status: 1, completion_tokens: 0 });
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(rows.length);
  });
});

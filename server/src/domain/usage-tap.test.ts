import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TapFormat } from './usage-tap.js';
import { UsageTap } from './usage-tap.js';
import type { Usage } from './usage.js';

interface Outcome {
  usage: Usage | undefined;
  sawEnd: boolean;
  events: number;
}

async function run(
  format: TapFormat,
  chunks: Buffer[],
  encoding?: string,
  limits?: ConstructorParameters<typeof UsageTap>[2],
): Promise<Outcome> {
  const tap = new UsageTap(format, encoding, limits);
  for (const chunk of chunks) tap.push(chunk);
  const usage = await tap.end();
  return { usage, sawEnd: tap.sawEnd, events: tap.events };
}

function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

const sse = (...frames: string[]): string => frames.join('');
const dataFrame = (data: string): string => `data: ${data}\n\n`;
/** NewAPI re-emits Anthropic events as `event: <type>\ndata: <json>\n\n\n` (§11). */
type Event = { type: string; [key: string]: unknown };
const claudeFrame = (value: Event): string => `event: ${value.type}\ndata: ${JSON.stringify(value)}\n\n\n`;
const namedFrame = (value: Event): string => `event: ${value.type}\ndata: ${JSON.stringify(value)}\n\n`;

const chatChunk = (delta: object, finishReason: string | null): string =>
  JSON.stringify({
    id: 'chatcmpl-C1xyz',
    object: 'chat.completion.chunk',
    created: 1752300000,
    model: 'gpt-4o',
    system_fingerprint: 'fp_07871e2ad8',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
  });

/** Verbatim from newapi-upstream.md §11. */
const NEWAPI_USAGE_CHUNK =
  '{"id":"chatcmpl-…","object":"chat.completion.chunk","created":1752300000,"model":"gpt-4o","system_fingerprint":null,"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46,"prompt_tokens_details":{"cached_tokens":0,"text_tokens":0,"audio_tokens":0,"image_tokens":0},"completion_tokens_details":{"text_tokens":0,"audio_tokens":0,"reasoning_tokens":0,"image_tokens":0},"input_tokens":0,"output_tokens":0,"input_tokens_details":null,"claude_cache_creation_5_m_tokens":0,"claude_cache_creation_1_h_tokens":0}}';

const OPENAI_SSE = sse(
  dataFrame(chatChunk({ role: 'assistant', content: '' }, null)),
  dataFrame(chatChunk({ content: 'Héllo 👋 世界' }, null)),
  dataFrame(chatChunk({}, 'stop')),
  dataFrame(NEWAPI_USAGE_CHUNK),
  dataFrame('[DONE]'),
);

const ANTHROPIC_SSE = sse(
  claudeFrame({
    type: 'message_start',
    message: {
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude-sonnet-4-5-20250929',
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 10, output_tokens: 1 },
    },
  }),
  claudeFrame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  claudeFrame({ type: 'ping' }),
  claudeFrame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '¡Hola! ñ 🌍' } }),
  claudeFrame({ type: 'content_block_stop', index: 0 }),
  claudeFrame({
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 15 },
  }),
  claudeFrame({ type: 'message_stop' }),
);

const RESPONSES_USAGE = {
  input_tokens: 36,
  input_tokens_details: { cached_tokens: 4 },
  output_tokens: 87,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 123,
};
const responsesStream = (last: string): string =>
  sse(
    namedFrame({
      type: 'response.created',
      sequence_number: 0,
      response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [], usage: null },
    }),
    namedFrame({ type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', delta: 'Grüße ✨' }),
    namedFrame({ type: 'response.output_text.done', sequence_number: 2, item_id: 'msg_1', text: 'Grüße ✨' }),
    namedFrame({
      type: last,
      sequence_number: 3,
      response: { id: 'resp_1', object: 'response', status: 'completed', output: [], usage: RESPONSES_USAGE },
    }),
  );
const RESPONSES_SSE = responsesStream('response.completed');

const geminiFrame = (text: string, usageMetadata: object, finishReason?: string): string =>
  dataFrame(
    JSON.stringify({
      candidates: [
        { content: { parts: [{ text }], role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 },
      ],
      usageMetadata,
      modelVersion: 'gemini-2.5-flash',
      responseId: 'mAitaLmkHPPlz7IPvtfUqQ4',
    }),
  );
const geminiStream = (finish: boolean): string =>
  sse(
    geminiFrame('Der Himmel', {
      promptTokenCount: 10,
      candidatesTokenCount: 3,
      totalTokenCount: 53,
      thoughtsTokenCount: 40,
    }),
    geminiFrame(' ist blau — ☀️', {
      promptTokenCount: 10,
      candidatesTokenCount: 12,
      totalTokenCount: 62,
      thoughtsTokenCount: 40,
    }),
    geminiFrame(
      '.',
      {
        promptTokenCount: 10,
        candidatesTokenCount: 25,
        totalTokenCount: 75,
        cachedContentTokenCount: 2,
        thoughtsTokenCount: 40,
      },
      finish ? 'STOP' : undefined,
    ),
  );
const GEMINI_SSE = geminiStream(true);

const SAMPLES: { name: string; body: string; expected: Outcome }[] = [
  {
    name: 'OpenAI chat with NewAPI usage chunk',
    body: OPENAI_SSE,
    expected: {
      usage: { promptTokens: 12, completionTokens: 34, cacheTokens: 0, totalTokens: 46 },
      sawEnd: true,
      events: 5,
    },
  },
  {
    name: 'Anthropic messages',
    body: ANTHROPIC_SSE,
    expected: {
      usage: { promptTokens: 35, completionTokens: 15, cacheTokens: 10, totalTokens: 50 },
      sawEnd: true,
      events: 7,
    },
  },
  {
    name: 'OpenAI Responses',
    body: RESPONSES_SSE,
    expected: {
      usage: { promptTokens: 36, completionTokens: 87, cacheTokens: 4, totalTokens: 123 },
      sawEnd: true,
      events: 4,
    },
  },
  {
    name: 'Gemini',
    body: GEMINI_SSE,
    expected: {
      usage: { promptTokens: 10, completionTokens: 65, cacheTokens: 2, totalTokens: 75 },
      sawEnd: true,
      events: 3,
    },
  },
];

describe('UsageTap, SSE', () => {
  for (const { name, body, expected } of SAMPLES) {
    it(`reads ${name} in one chunk`, async () => {
      expect(await run('sse', [Buffer.from(body)])).toEqual(expected);
    });

    it(`reads ${name} split at every byte position (inside UTF-8 characters and lines)`, async () => {
      const bytes = Buffer.from(body);
      expect(bytes.length).toBeGreaterThan(body.length); // it has multi-byte characters
      for (let at = 0; at <= bytes.length; at++) {
        const outcome = await run('sse', [bytes.subarray(0, at), bytes.subarray(at)]);
        if (JSON.stringify(outcome) !== JSON.stringify(expected)) expect({ at, outcome }).toEqual({ at, expected });
      }
      expect(await run('sse', pieces(bytes, 1))).toEqual(expected);
    });

    it(`reads ${name} with CRLF and with CR line ends, split anywhere`, async () => {
      for (const eol of ['\r\n', '\r']) {
        const bytes = Buffer.from(body.replaceAll('\n', eol));
        for (let at = 0; at <= bytes.length; at++) {
          const outcome = await run('sse', [bytes.subarray(0, at), bytes.subarray(at)]);
          if (JSON.stringify(outcome) !== JSON.stringify(expected)) {
            expect({ eol, at, outcome }).toEqual({ eol, at, expected });
          }
        }
      }
    });

    it(`reads ${name} compressed (gzip, deflate, raw deflate, br, gzip+br) in small chunks`, async () => {
      const raw = Buffer.from(body);
      const cases: [string, Buffer][] = [
        ['gzip', zlib.gzipSync(raw)],
        ['x-gzip', zlib.gzipSync(raw)],
        ['deflate', zlib.deflateSync(raw)],
        ['deflate', zlib.deflateRawSync(raw)],
        ['br', zlib.brotliCompressSync(raw)],
        ['GZIP, br', zlib.brotliCompressSync(zlib.gzipSync(raw))],
        ['identity', raw],
      ];
      for (const [encoding, compressed] of cases) {
        for (const size of [1, 7, 64]) {
          expect({ encoding, size, ...(await run('sse', pieces(compressed, size), encoding)) }).toEqual({
            encoding,
            size,
            ...expected,
          });
        }
      }
    });
  }

  it('joins multi-line data with \\n and ignores comments, ids, retries and unknown fields, for any line end', async () => {
    const lines = [
      ': PING',
      '',
      'id: 1',
      'retry: 3000',
      'event: message_delta',
      'data:{"type":"message_delta",',
      'data: "usage":',
      'data:  {"output_tokens": 15, "input_tokens": 7}}',
      'foo: bar',
      '',
      'data',
      '',
      'data: not json, mentions usage',
      '',
      ': PING',
      '',
      'event: message_stop',
      'data: {}',
      '',
      '',
    ];
    const expected = {
      usage: { promptTokens: 7, completionTokens: 15, cacheTokens: 0, totalTokens: 22 },
      sawEnd: true,
      events: 4,
    };
    for (const eol of ['\n', '\r\n', '\r']) {
      const bytes = Buffer.from(lines.join(eol));
      for (let at = 0; at <= bytes.length; at++) {
        const outcome = await run('sse', [bytes.subarray(0, at), bytes.subarray(at)]);
        if (JSON.stringify(outcome) !== JSON.stringify(expected)) {
          expect({ eol, at, outcome }).toEqual({ eol, at, expected });
        }
      }
      expect(await run('sse', pieces(bytes, 1))).toEqual(expected);
    }
  });

  it('drops a leading BOM, and reads an unterminated last event', async () => {
    const body = `\uFEFFdata: {"usage":{"prompt_tokens":1,"completion_tokens":2}}`;
    const bytes = Buffer.from(body);
    for (let at = 0; at <= bytes.length; at++) {
      expect(await run('sse', [bytes.subarray(0, at), bytes.subarray(at)])).toEqual({
        usage: { promptTokens: 1, completionTokens: 2, cacheTokens: 0, totalTokens: 3 },
        sawEnd: false,
        events: 1,
      });
    }
    expect((await run('sse', [Buffer.from('data: [DONE]\n')])).sawEnd).toBe(true);
  });

  it('merges usage reported in several events (later counts win)', async () => {
    const body = sse(
      dataFrame('{"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}'),
      dataFrame('{"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}'),
      dataFrame('[DONE]'),
    );
    expect((await run('sse', [Buffer.from(body)])).usage).toEqual({
      promptTokens: 5,
      completionTokens: 9,
      cacheTokens: 0,
      totalTokens: 14,
    });
  });

  describe('sawEnd', () => {
    it('is set by each format’s terminal marker only', async () => {
      const cases: [string, string, boolean][] = [
        ['OpenAI with [DONE]', OPENAI_SSE, true],
        ['OpenAI cut before [DONE]', OPENAI_SSE.replace(dataFrame('[DONE]'), ''), false],
        ['Anthropic with message_stop', ANTHROPIC_SSE, true],
        ['Anthropic without message_stop', ANTHROPIC_SSE.replace(claudeFrame({ type: 'message_stop' }), ''), false],
        ['Anthropic message_stop by data only', dataFrame('{"type":"message_stop"}'), true],
        ['Anthropic message_stop by event name only', 'event: message_stop\ndata: {}\n\n', true],
        ['event name without data is no event', 'event: message_stop\n\n', false],
        ['Responses completed', RESPONSES_SSE, true],
        ['Responses incomplete', responsesStream('response.incomplete'), true],
        ['Responses failed', responsesStream('response.failed'), true],
        ['Responses cut', responsesStream('response.output_text.done'), false],
        ['Gemini with finishReason', GEMINI_SSE, true],
        ['Gemini without finishReason', geminiStream(false), false],
        ['OpenAI finish_reason is not an end', dataFrame(chatChunk({}, 'stop')), false],
      ];
      for (const [name, body, sawEnd] of cases) {
        expect({ name, sawEnd: (await run('sse', [Buffer.from(body)])).sawEnd }).toEqual({ name, sawEnd });
      }
    });

    it('keeps the usage seen before a cut', async () => {
      const cut = ANTHROPIC_SSE.replace(claudeFrame({ type: 'message_stop' }), '');
      expect(await run('sse', [Buffer.from(cut)])).toEqual({
        usage: { promptTokens: 35, completionTokens: 15, cacheTokens: 10, totalTokens: 50 },
        sawEnd: false,
        events: 6,
      });
    });
  });

  describe('limits', () => {
    const pad = 'x'.repeat(5000);
    const longUsage = `data: {"usage":{"prompt_tokens":1,"completion_tokens":2},"pad":"${pad}"}\n\n`;
    const body = Buffer.from(sse(longUsage, ': ' + pad + '\n\n', dataFrame('[DONE]')));

    it('skips an SSE line longer than maxLineBytes, even fed byte by byte', async () => {
      for (const chunks of [[body], pieces(body, 1), pieces(body, 100)]) {
        expect(await run('sse', chunks, undefined, { maxLineBytes: 1000 })).toEqual({
          usage: undefined,
          sawEnd: true,
          events: 2, // the skipped data line still makes an event
        });
        expect(await run('sse', chunks, undefined, { maxLineBytes: 10_000 })).toEqual({
          usage: { promptTokens: 1, completionTokens: 2, cacheTokens: 0, totalTokens: 3 },
          sawEnd: true,
          events: 2,
        });
      }
    });

    it('reads a line exactly maxLineBytes long, and later events after a skipped one', async () => {
      const line = 'data: {"usage":{"prompt_tokens":1,"completion_tokens":2}}';
      const limit = Buffer.byteLength(line);
      expect((await run('sse', [Buffer.from(`${line}\n\n`)], undefined, { maxLineBytes: limit })).usage).toBeDefined();
      expect(
        (await run('sse', [Buffer.from(`${line}\n\n`)], undefined, { maxLineBytes: limit - 1 })).usage,
      ).toBeUndefined();
      const later = Buffer.concat([body, Buffer.from(`${line}\n\n`)]);
      expect((await run('sse', pieces(later, 3), undefined, { maxLineBytes: limit })).usage).toEqual({
        promptTokens: 1,
        completionTokens: 2,
        cacheTokens: 0,
        totalTokens: 3,
      });
    });

    it('drops an event whose data lines together exceed maxLineBytes', async () => {
      const many = `data: {"usage":{"prompt_tokens":1,\n${'data: \n'.repeat(1500)}data: "completion_tokens":2}}\n\n`;
      expect((await run('sse', [Buffer.from(many)], undefined, { maxLineBytes: 1000 })).usage).toBeUndefined();
      expect((await run('sse', [Buffer.from(many)], undefined, { maxLineBytes: 2000 })).usage).toEqual({
        promptTokens: 1,
        completionTokens: 2,
        cacheTokens: 0,
        totalTokens: 3,
      });
    });
  });
});

describe('UsageTap, JSON', () => {
  const chat = JSON.stringify({
    id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
    object: 'chat.completion',
    created: 1741570283,
    model: 'gpt-4o-2024-08-06',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Grüß Gott! 👋' }, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: 1117,
      completion_tokens: 46,
      total_tokens: 1163,
      prompt_tokens_details: { cached_tokens: 1024 },
    },
  });
  const chatUsage = { promptTokens: 1117, completionTokens: 46, cacheTokens: 1024, totalTokens: 1163 };

  it('reads each body shape, split at every byte position', async () => {
    const bodies: [string, Usage][] = [
      [chat, chatUsage],
      [
        JSON.stringify({
          id: 'msg_01',
          type: 'message',
          role: 'assistant',
          content: [{ type: 'text', text: 'Hi' }],
          usage: { input_tokens: 20, cache_read_input_tokens: 5, cache_creation_input_tokens: 0, output_tokens: 9 },
        }),
        { promptTokens: 25, completionTokens: 9, cacheTokens: 5, totalTokens: 34 },
      ],
      [
        JSON.stringify({ object: 'response', status: 'completed', usage: RESPONSES_USAGE }),
        { promptTokens: 36, completionTokens: 87, cacheTokens: 4, totalTokens: 123 },
      ],
      [
        JSON.stringify({
          candidates: [{ content: { parts: [{ text: 'ok' }] }, finishReason: 'STOP' }],
          usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 1, totalTokenCount: 5 },
        }),
        { promptTokens: 4, completionTokens: 1, cacheTokens: 0, totalTokens: 5 },
      ],
      [
        // Gemini's JSON-array stream form: usages merge.
        JSON.stringify([
          { candidates: [], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 1, totalTokenCount: 5 } },
          { candidates: [], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 8, totalTokenCount: 12 } },
        ]),
        { promptTokens: 4, completionTokens: 8, cacheTokens: 0, totalTokens: 12 },
      ],
      [`\uFEFF${chat}`, chatUsage],
    ];
    for (const [body, usage] of bodies) {
      const bytes = Buffer.from(body);
      for (let at = 0; at <= bytes.length; at++) {
        const outcome = await run('json', [bytes.subarray(0, at), bytes.subarray(at)]);
        expect(outcome).toEqual({ usage, sawEnd: false, events: 0 });
      }
    }
  });

  it('reads compressed bodies in small chunks', async () => {
    const raw = Buffer.from(chat);
    const cases: [string, Buffer][] = [
      ['gzip', zlib.gzipSync(raw)],
      ['deflate', zlib.deflateSync(raw)],
      ['deflate', zlib.deflateRawSync(raw)],
      ['br', zlib.brotliCompressSync(raw)],
      ['deflate, br', zlib.brotliCompressSync(zlib.deflateSync(raw))],
    ];
    for (const [encoding, compressed] of cases) {
      for (const size of [1, 5, 1000]) {
        expect({ encoding, size, usage: (await run('json', pieces(compressed, size), encoding)).usage }).toEqual({
          encoding,
          size,
          usage: chatUsage,
        });
      }
    }
  });

  it('is undefined for bodies without usage or that are not JSON', async () => {
    for (const body of ['', 'null', '[]', '{"error":{"message":"bad","type":"new_api_error"}}', '<html>502</html>']) {
      expect((await run('json', [Buffer.from(body)])).usage).toBeUndefined();
    }
    expect((await run('json', [Buffer.from(chat.slice(0, -1))])).usage).toBeUndefined();
  });

  it('gives up beyond maxJsonBytes', async () => {
    const bytes = Buffer.from(chat);
    expect((await run('json', pieces(bytes, 10), undefined, { maxJsonBytes: bytes.length })).usage).toEqual(chatUsage);
    expect((await run('json', pieces(bytes, 10), undefined, { maxJsonBytes: bytes.length - 1 })).usage).toBeUndefined();
    // The limit applies to decompressed bytes, and also when it is hit after end() was called.
    const bomb = zlib.gzipSync(Buffer.from(`{"usage":{"prompt_tokens":1},"pad":"${' '.repeat(1_000_000)}"}`));
    expect(bomb.length).toBeLessThan(5000);
    expect((await run('json', [bomb], 'gzip', { maxJsonBytes: 100_000 })).usage).toBeUndefined();
    expect((await run('json', [bomb], 'gzip')).usage).toEqual({
      promptTokens: 1,
      completionTokens: 0,
      cacheTokens: 0,
      totalTokens: 1,
    });
  });
});

describe('UsageTap, bad input', () => {
  // Deterministic pseudo-random bytes.
  const garbage = Buffer.alloc(4096);
  let seed = 42;
  for (let i = 0; i < garbage.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    garbage[i] = seed >>> 24;
  }

  it('never throws on garbage, whatever the format and encoding', async () => {
    for (const format of ['json', 'sse'] as const) {
      for (const encoding of [undefined, 'gzip', 'deflate', 'br', 'gzip, br']) {
        const tap = new UsageTap(format, encoding);
        expect(() => {
          for (const chunk of pieces(garbage, 100)) tap.push(chunk);
        }).not.toThrow();
        expect(await tap.end()).toBeUndefined();
      }
    }
  });

  it('ignores pushes of non-buffers and pushes after end(); end() is idempotent', async () => {
    const tap = new UsageTap('sse');
    expect(() => {
      tap.push('data: x' as unknown as Buffer);
      tap.push(null as unknown as Buffer);
      tap.push(undefined as unknown as Buffer);
      tap.push(Buffer.alloc(0));
    }).not.toThrow();
    tap.push(new Uint8Array(Buffer.from(OPENAI_SSE)) as Buffer);
    const first = tap.end();
    tap.push(Buffer.from(dataFrame('{"usage":{"prompt_tokens":999}}')));
    expect(tap.end()).toBe(first);
    expect(await first).toEqual({ promptTokens: 12, completionTokens: 34, cacheTokens: 0, totalTokens: 46 });
  });

  it('resolves on an empty body, whatever the encoding', async () => {
    for (const format of ['json', 'sse'] as const) {
      for (const encoding of [undefined, 'identity', 'gzip', 'deflate', 'br', 'gzip, br']) {
        expect(await run(format, [], encoding)).toEqual({ usage: undefined, sawEnd: false, events: 0 });
      }
    }
  });

  it('gives up on an unknown content coding', async () => {
    expect(await run('sse', [Buffer.from(OPENAI_SSE)], 'zstd')).toEqual({
      usage: undefined,
      sawEnd: false,
      events: 0,
    });
    expect((await run('json', [Buffer.from('{"usage":{"prompt_tokens":1}}')], 'compress')).usage).toBeUndefined();
  });

  it('gives undefined usage on plain bytes labelled as compressed', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      expect((await run('sse', [Buffer.from(OPENAI_SSE)], encoding)).usage).toBeUndefined();
      expect((await run('json', [Buffer.from('{"usage":{"prompt_tokens":1}}')], encoding)).usage).toBeUndefined();
    }
  });

  it('handles truncated compressed streams', async () => {
    for (const [encoding, compress] of [
      ['gzip', zlib.gzipSync],
      ['deflate', zlib.deflateSync],
      ['br', zlib.brotliCompressSync],
    ] as const) {
      const json = compress(Buffer.from('{"usage":{"prompt_tokens":1,"completion_tokens":2}}'));
      for (const keep of [1, json.length >> 1, json.length - 1]) {
        expect((await run('json', pieces(json.subarray(0, keep), 3), encoding)).usage).toBeUndefined();
      }
      // Cut early: the usage chunk and [DONE] never arrive.
      const stream = compress(Buffer.from(OPENAI_SSE));
      expect(await run('sse', pieces(stream.subarray(0, stream.length >> 2), 3), encoding)).toMatchObject({
        usage: undefined,
        sawEnd: false,
      });
    }
    // Cut inside the gzip trailer: every event was decoded; the usage of complete events stays.
    const gz = zlib.gzipSync(Buffer.from(OPENAI_SSE));
    expect(await run('sse', pieces(gz.subarray(0, gz.length - 4), 3), 'gzip')).toEqual({
      usage: { promptTokens: 12, completionTokens: 34, cacheTokens: 0, totalTokens: 46 },
      sawEnd: true,
      events: 5,
    });
  });

  it('neither changes the caller’s chunks nor depends on them after push', async () => {
    for (const encoding of [undefined, 'gzip']) {
      const raw = Buffer.from(ANTHROPIC_SSE);
      const body = encoding === 'gzip' ? zlib.gzipSync(raw) : raw;
      const chunks = pieces(Buffer.from(body), 50).map((chunk) => Buffer.from(chunk));
      const copies = chunks.map((chunk) => Buffer.from(chunk));
      const tap = new UsageTap('sse', encoding);
      for (const chunk of chunks) {
        tap.push(chunk);
        expect(chunk).toEqual(copies[chunks.indexOf(chunk)]);
        chunk.fill(0); // e.g. a pooled buffer reused by the caller
      }
      expect(await tap.end()).toEqual({ promptTokens: 35, completionTokens: 15, cacheTokens: 10, totalTokens: 50 });
    }
  });
});

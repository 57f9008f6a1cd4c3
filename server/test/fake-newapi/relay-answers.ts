import { gzipSync } from 'node:zlib';
import { fakeChunkText, fakeCompletionText } from './factories.js';
import { sendJson, sendRaw } from './http.js';
import { DONE_FRAME, dataFrame, eventFrame, writeSse, type SseFrame } from './sse.js';
import type { Ctx } from './types.js';

export type RelayKind =
  | 'chat'
  | 'completions'
  | 'embeddings'
  | 'messages'
  | 'responses'
  | 'images'
  | 'rerank'
  | 'moderations'
  | 'transcriptions'
  | 'speech'
  | 'gemini-generate'
  | 'gemini-embed'
  | 'gemini-batch-embed';

/** Everything an answer needs; `usage` follows fakeUsage() (see factories.ts). */
export interface Generation {
  kind: RelayKind;
  model: string;
  stream: boolean;
  /** Chat/completions streams: add the usage chunk (`choices: []`) before [DONE]. */
  includeUsage: boolean;
  usage: { prompt: number; completion: number; total: number };
  chunks: number;
  /** Parsed JSON body, or {} (multipart / form / empty). */
  body: Record<string, unknown>;
}

/** The speech answer: a tiny "MP3" whose bytes name the model. */
export function fakeSpeech(model: string): Buffer {
  return Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.from(`fake-audio:${model}`)]);
}

const FAKE_VECTOR = [0.1, 0.2, 0.3];

function base64Vector(): string {
  return Buffer.from(new Float32Array(FAKE_VECTOR).buffer).toString('base64');
}

function openAiUsage(g: Generation) {
  return { prompt_tokens: g.usage.prompt, completion_tokens: g.usage.completion, total_tokens: g.usage.total };
}

function chatFrames(ctx: Ctx, g: Generation, created: number): SseFrame[] {
  const chat = g.kind === 'chat';
  const head = chat
    ? {
        id: `chatcmpl-${ctx.requestId}`,
        object: 'chat.completion.chunk',
        created,
        model: g.model,
        system_fingerprint: null,
      }
    : { id: `cmpl-${ctx.requestId}`, object: 'text_completion', created, model: g.model };
  const choice = (i: number, text: string | undefined, finish: string | null) =>
    chat
      ? {
          index: 0,
          delta: text === undefined ? {} : i === 0 ? { role: 'assistant', content: text } : { content: text },
          logprobs: null,
          finish_reason: finish,
        }
      : { text: text ?? '', index: 0, logprobs: null, finish_reason: finish };
  const frames = Array.from({ length: g.chunks }, (_, i) =>
    dataFrame({ ...head, choices: [choice(i, fakeChunkText(i), null)] }),
  );
  frames.push(dataFrame({ ...head, choices: [choice(g.chunks, undefined, 'stop')] }));
  if (g.includeUsage) frames.push(dataFrame({ ...head, choices: [], usage: openAiUsage(g) }));
  frames.push(DONE_FRAME);
  return frames;
}

function anthropicMessage(ctx: Ctx, g: Generation, done: boolean) {
  return {
    id: `msg_${ctx.requestId}`,
    type: 'message',
    role: 'assistant',
    model: g.model,
    content: done ? [{ type: 'text', text: fakeCompletionText(g.chunks) }] : [],
    stop_reason: done ? 'end_turn' : null,
    stop_sequence: null,
    usage: { input_tokens: g.usage.prompt, output_tokens: done ? g.usage.completion : 1 },
  };
}

function anthropicFrames(ctx: Ctx, g: Generation): SseFrame[] {
  return [
    eventFrame({ type: 'message_start', message: anthropicMessage(ctx, g, false) }),
    eventFrame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    ...Array.from({ length: g.chunks }, (_, i) =>
      eventFrame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: fakeChunkText(i) } }),
    ),
    eventFrame({ type: 'content_block_stop', index: 0 }),
    eventFrame({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: g.usage.prompt, output_tokens: g.usage.completion },
    }),
    eventFrame({ type: 'message_stop' }, true),
  ];
}

function response(ctx: Ctx, g: Generation, created: number, done: boolean) {
  return {
    id: `resp_${ctx.requestId}`,
    object: 'response',
    created_at: created,
    status: done ? 'completed' : 'in_progress',
    model: g.model,
    output: done
      ? [
          {
            type: 'message',
            id: `msg_${ctx.requestId}`,
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: fakeCompletionText(g.chunks), annotations: [] }],
          },
        ]
      : [],
    usage: done
      ? { input_tokens: g.usage.prompt, output_tokens: g.usage.completion, total_tokens: g.usage.total }
      : null,
  };
}

function responsesFrames(ctx: Ctx, g: Generation, created: number): SseFrame[] {
  return [
    eventFrame({ type: 'response.created', response: response(ctx, g, created, false) }),
    ...Array.from({ length: g.chunks }, (_, i) =>
      eventFrame({
        type: 'response.output_text.delta',
        item_id: `msg_${ctx.requestId}`,
        output_index: 0,
        content_index: 0,
        delta: fakeChunkText(i),
      }),
    ),
    eventFrame({ type: 'response.completed', response: response(ctx, g, created, true) }, true),
  ];
}

function geminiChunk(ctx: Ctx, g: Generation, text: string, completion: number, last: boolean) {
  return {
    candidates: [
      { content: { role: 'model', parts: [{ text }] }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) },
    ],
    usageMetadata: {
      promptTokenCount: g.usage.prompt,
      candidatesTokenCount: completion,
      totalTokenCount: g.usage.prompt + completion,
    },
    modelVersion: g.model,
    responseId: ctx.requestId,
  };
}

/** Gemini stream: one data-only frame per chunk (cumulative usageMetadata, the last one has finishReason). */
function geminiFrames(ctx: Ctx, g: Generation): SseFrame[] {
  if (g.chunks === 0) return [dataFrame(geminiChunk(ctx, g, '', 0, true))];
  return Array.from({ length: g.chunks }, (_, i) =>
    dataFrame(geminiChunk(ctx, g, fakeChunkText(i), 2 * (i + 1), i === g.chunks - 1)),
  );
}

function inputCount(value: unknown): number {
  return Array.isArray(value) ? value.length : 1;
}

/** Writes the successful answer (JSON, SSE or bytes) of a relay call. */
export async function answer(ctx: Ctx, g: Generation): Promise<void> {
  const created = Math.floor(Date.now() / 1000);
  const text = fakeCompletionText(g.chunks);
  const json = (value: unknown) =>
    ctx.state.gzipJson && /\bgzip\b/.test(String(ctx.req.headers['accept-encoding'] ?? ''))
      ? sendRaw(ctx.res, 200, gzipSync(JSON.stringify(value)), {
          'content-type': 'application/json; charset=utf-8',
          'content-encoding': 'gzip',
        })
      : sendJson(ctx.res, 200, value);
  switch (g.kind) {
    case 'chat':
    case 'completions':
      if (g.stream) return writeSse(ctx, chatFrames(ctx, g, created));
      if (g.kind === 'completions') {
        return json({
          id: `cmpl-${ctx.requestId}`,
          object: 'text_completion',
          created,
          model: g.model,
          choices: [{ text, index: 0, logprobs: null, finish_reason: 'stop' }],
          usage: openAiUsage(g),
        });
      }
      return json({
        id: `chatcmpl-${ctx.requestId}`,
        object: 'chat.completion',
        created,
        model: g.model,
        system_fingerprint: null,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: 'stop' }],
        usage: openAiUsage(g),
      });
    case 'messages':
      return g.stream ? writeSse(ctx, anthropicFrames(ctx, g)) : json(anthropicMessage(ctx, g, true));
    case 'responses':
      return g.stream ? writeSse(ctx, responsesFrames(ctx, g, created)) : json(response(ctx, g, created, true));
    case 'gemini-generate':
      if (g.stream) return writeSse(ctx, geminiFrames(ctx, g));
      return json(geminiChunk(ctx, g, text, g.usage.completion, true));
    case 'gemini-embed':
      return json({ embedding: { values: FAKE_VECTOR } });
    case 'gemini-batch-embed':
      return json({ embeddings: Array.from({ length: inputCount(g.body.requests) }, () => ({ values: FAKE_VECTOR })) });
    case 'embeddings':
      return json({
        object: 'list',
        data: Array.from({ length: inputCount(g.body.input) }, (_, index) => ({
          object: 'embedding',
          index,
          // The OpenAI SDK asks for base64 (little-endian float32) unless told otherwise, as upstreams honour.
          embedding: g.body.encoding_format === 'base64' ? base64Vector() : FAKE_VECTOR,
        })),
        model: g.model,
        usage: { prompt_tokens: g.usage.prompt, total_tokens: g.usage.total },
      });
    case 'rerank':
      return json({
        model: g.model,
        results: Array.from({ length: inputCount(g.body.documents) }, (_, index) => ({
          index,
          relevance_score: 1 / (index + 1),
        })),
        usage: { prompt_tokens: g.usage.prompt, total_tokens: g.usage.total },
      });
    case 'moderations':
      return json({
        id: `modr-${ctx.requestId}`,
        model: g.model,
        results: [{ flagged: false, categories: {}, category_scores: {} }],
      });
    case 'images':
      return json({
        created,
        model: g.model,
        data: Array.from({ length: typeof g.body.n === 'number' && g.body.n > 0 ? g.body.n : 1 }, (_, i) => ({
          url: `https://images.fake.invalid/${ctx.requestId}-${i}.png`,
          revised_prompt: typeof g.body.prompt === 'string' ? g.body.prompt : '',
        })),
      });
    case 'transcriptions':
      return json({ text: `fake transcription by ${g.model}` });
    case 'speech':
      return sendRaw(ctx.res, 200, fakeSpeech(g.model), { 'content-type': 'audio/mpeg' });
  }
}

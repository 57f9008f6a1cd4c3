import { describe, expect, it } from 'vitest';
import { completeUsage, mergeUsage, usageFromObject } from './usage.js';

/** NewAPI's synthesized usage chunk, verbatim from newapi-upstream.md §11. */
const NEWAPI_USAGE_CHUNK = {
  id: 'chatcmpl-synth',
  object: 'chat.completion.chunk',
  created: 1752300000,
  model: 'gpt-4o',
  system_fingerprint: null,
  choices: [],
  usage: {
    prompt_tokens: 12,
    completion_tokens: 34,
    total_tokens: 46,
    prompt_tokens_details: { cached_tokens: 0, text_tokens: 0, audio_tokens: 0, image_tokens: 0 },
    completion_tokens_details: { text_tokens: 0, audio_tokens: 0, reasoning_tokens: 0, image_tokens: 0 },
    input_tokens: 0,
    output_tokens: 0,
    input_tokens_details: null,
    claude_cache_creation_5_m_tokens: 0,
    claude_cache_creation_1_h_tokens: 0,
  },
};

describe('usageFromObject', () => {
  it('reads an OpenAI chat completion, cached tokens included', () => {
    const body = {
      id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      object: 'chat.completion',
      created: 1741570283,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello!', refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 1117,
        completion_tokens: 46,
        total_tokens: 1163,
        prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_fc9f1d7035',
    };
    expect(usageFromObject(body)).toEqual({
      promptTokens: 1117,
      completionTokens: 46,
      totalTokens: 1163,
      cacheTokens: 1024,
    });
  });

  it('reads legacy completions and embeddings (no completion tokens)', () => {
    expect(
      usageFromObject({
        id: 'cmpl-1',
        object: 'text_completion',
        model: 'gpt-3.5-turbo-instruct',
        choices: [{ text: ' world', index: 0, logprobs: null, finish_reason: 'length' }],
        usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
      }),
    ).toEqual({ promptTokens: 5, completionTokens: 7, totalTokens: 12 });

    const embeddings = {
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.0023064255, -0.009327292] }],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 8, total_tokens: 8 },
    };
    expect(usageFromObject(embeddings)).toEqual({ promptTokens: 8, totalTokens: 8 });
    expect(completeUsage(usageFromObject(embeddings))).toEqual({
      promptTokens: 8,
      completionTokens: 0,
      cacheTokens: 0,
      totalTokens: 8,
    });
  });

  it("reads NewAPI's synthesized usage chunk, ignoring its zeroed Responses-style keys", () => {
    expect(usageFromObject(NEWAPI_USAGE_CHUNK)).toEqual({
      promptTokens: 12,
      completionTokens: 34,
      totalTokens: 46,
      cacheTokens: 0,
    });
  });

  it('ignores the null usage of ordinary stream chunks', () => {
    expect(
      usageFromObject({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }],
        usage: null,
      }),
    ).toBeUndefined();
  });

  it('reads an OpenAI Responses body and the response.completed event', () => {
    const usage = {
      input_tokens: 328,
      input_tokens_details: { cached_tokens: 256 },
      output_tokens: 52,
      output_tokens_details: { reasoning_tokens: 16 },
      total_tokens: 380,
    };
    const expected = { promptTokens: 328, completionTokens: 52, totalTokens: 380, cacheTokens: 256 };
    expect(
      usageFromObject({
        id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
        object: 'response',
        created_at: 1741476542,
        status: 'completed',
        model: 'gpt-4.1-2025-04-14',
        output: [],
        usage,
      }),
    ).toEqual(expected);
    expect(
      usageFromObject({
        type: 'response.completed',
        sequence_number: 17,
        response: { id: 'resp_1', object: 'response', status: 'completed', output: [], usage },
      }),
    ).toEqual(expected);
    expect(
      usageFromObject({ type: 'response.created', sequence_number: 0, response: { id: 'resp_1', usage: null } }),
    ).toBeUndefined();
  });

  it('reads an Anthropic message: prompt = input + cache reads + cache writes', () => {
    const message = {
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 2095,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 1800,
        cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 0 },
        output_tokens: 503,
        service_tier: 'standard',
      },
    };
    expect(usageFromObject(message)).toEqual({ promptTokens: 3995, completionTokens: 503, cacheTokens: 1800 });
    expect(completeUsage(usageFromObject(message))?.totalTokens).toBe(4498);
  });

  it('merges Anthropic message_start and message_delta', () => {
    const start = {
      type: 'message_start',
      message: {
        id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
        type: 'message',
        role: 'assistant',
        content: [],
        model: 'claude-sonnet-4-5-20250929',
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 10, output_tokens: 1 },
      },
    };
    const delta = {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 15 },
    };
    const fromStart = usageFromObject(start);
    expect(fromStart).toEqual({ promptTokens: 35, completionTokens: 1, cacheTokens: 10 });
    expect(usageFromObject(delta)).toEqual({ completionTokens: 15 });
    expect(completeUsage(mergeUsage(fromStart, usageFromObject(delta)))).toEqual({
      promptTokens: 35,
      completionTokens: 15,
      cacheTokens: 10,
      totalTokens: 50,
    });

    // NewAPI may patch message_delta with the (cumulative) input and cache counts too.
    const patched = {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 10, output_tokens: 15 },
    };
    expect(completeUsage(mergeUsage(fromStart, usageFromObject(patched)))).toEqual({
      promptTokens: 35,
      completionTokens: 15,
      cacheTokens: 10,
      totalTokens: 50,
    });
  });

  it('reads Gemini usageMetadata: completion = candidates + thoughts', () => {
    const frame = {
      candidates: [
        { content: { parts: [{ text: 'The sky is blue.' }], role: 'model' }, finishReason: 'STOP', index: 0 },
      ],
      usageMetadata: {
        promptTokenCount: 1200,
        candidatesTokenCount: 20,
        totalTokenCount: 1320,
        cachedContentTokenCount: 1024,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 1200 }],
        cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 1024 }],
        thoughtsTokenCount: 100,
      },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'mAitaLmkHPPlz7IPvtfUqQ4',
    };
    expect(usageFromObject(frame)).toEqual({
      promptTokens: 1200,
      completionTokens: 120,
      totalTokens: 1320,
      cacheTokens: 1024,
    });
    expect(usageFromObject({ usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } })).toEqual({
      promptTokens: 9,
      totalTokens: 9,
    });
  });

  it('ignores non-numeric, negative and non-finite counts, and never throws', () => {
    expect(usageFromObject({ usage: { prompt_tokens: '12', completion_tokens: 5, total_tokens: null } })).toEqual({
      completionTokens: 5,
    });
    expect(
      usageFromObject({ usage: { prompt_tokens: -1, completion_tokens: Infinity, total_tokens: true } }),
    ).toBeUndefined();
    expect(usageFromObject({ usage: { prompt_tokens_details: { cached_tokens: 3 } } })).toBeUndefined();
    expect(usageFromObject({ usage: 'lots' })).toBeUndefined();
    expect(usageFromObject({ usage: [1, 2] })).toBeUndefined();
    expect(usageFromObject({ usageMetadata: { promptTokenCount: '1' } })).toBeUndefined();
    for (const value of [undefined, null, 0, 'usage', true, [], [{ usage: { prompt_tokens: 1 } }], {}]) {
      expect(usageFromObject(value)).toBeUndefined();
    }
    // Inherited properties are not read.
    const inherited = Object.create({ usage: { prompt_tokens: 1 } }) as object;
    expect(usageFromObject(inherited)).toBeUndefined();
    const hostile = new Proxy(
      {},
      {
        has: () => {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor: () => {
          throw new Error('boom');
        },
      },
    );
    expect(() => usageFromObject(hostile)).not.toThrow();
    expect(usageFromObject(hostile)).toBeUndefined();
  });
});

describe('mergeUsage', () => {
  it('fills in and replaces fields, returning new objects', () => {
    const a = { promptTokens: 10 };
    const merged = mergeUsage(a, { completionTokens: 5 });
    expect(merged).toEqual({ promptTokens: 10, completionTokens: 5 });
    expect(a).toEqual({ promptTokens: 10 });
    expect(mergeUsage(merged, { completionTokens: 7, cacheTokens: 2 })).toEqual({
      promptTokens: 10,
      completionTokens: 7,
      cacheTokens: 2,
    });
  });

  it('handles undefined and empty sides', () => {
    expect(mergeUsage(undefined, undefined)).toBeUndefined();
    expect(mergeUsage({}, {})).toBeUndefined();
    expect(mergeUsage(undefined, { promptTokens: 1 })).toEqual({ promptTokens: 1 });
    expect(mergeUsage({ promptTokens: 1 }, undefined)).toEqual({ promptTokens: 1 });
    expect(mergeUsage({ promptTokens: 1 }, { promptTokens: undefined })).toEqual({ promptTokens: 1 });
  });

  it('drops a stale total when newer counts come without one', () => {
    const first = { promptTokens: 10, completionTokens: 1, totalTokens: 11 };
    expect(mergeUsage(first, { completionTokens: 20 })).toEqual({ promptTokens: 10, completionTokens: 20 });
    expect(completeUsage(mergeUsage(first, { completionTokens: 20 }))?.totalTokens).toBe(30);
    expect(mergeUsage(first, { completionTokens: 20, totalTokens: 31 })?.totalTokens).toBe(31);
    expect(mergeUsage(first, { cacheTokens: 4 })?.totalTokens).toBe(11);
  });
});

describe('completeUsage', () => {
  it('fills zeros and the total', () => {
    expect(completeUsage({ promptTokens: 3, completionTokens: 4 })).toEqual({
      promptTokens: 3,
      completionTokens: 4,
      cacheTokens: 0,
      totalTokens: 7,
    });
    expect(completeUsage({ completionTokens: 4 })).toEqual({
      promptTokens: 0,
      completionTokens: 4,
      cacheTokens: 0,
      totalTokens: 4,
    });
    expect(completeUsage({ promptTokens: 3, completionTokens: 4, totalTokens: 9 })?.totalTokens).toBe(9);
    expect(completeUsage({ promptTokens: 0, completionTokens: 0, totalTokens: 0 })).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      cacheTokens: 0,
      totalTokens: 0,
    });
  });

  it('is undefined without any count', () => {
    expect(completeUsage(undefined)).toBeUndefined();
    expect(completeUsage({})).toBeUndefined();
    expect(completeUsage({ promptTokens: Number.NaN })).toBeUndefined();
  });
});

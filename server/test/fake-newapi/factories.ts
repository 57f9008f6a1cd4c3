import { createHash } from 'node:crypto';
import type { FakeModel, FakeToken } from './types.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A deterministic 48-char [0-9a-zA-Z] key (the shape of new-api's `GenerateKey`, no `sk-`). */
export function fakeKey(seed: number | string): string {
  const bytes = Buffer.concat([0, 1].map((n) => createHash('sha256').update(`fake-newapi:${seed}:${n}`).digest()));
  let key = '';
  for (let i = 0; i < 48; i++) key += ALPHABET[bytes[i]! % ALPHABET.length];
  return key;
}

/** A token with sensible defaults: enabled, never expires, 5_000_000 quota ($10), user's group. */
export function fakeToken(partial: Partial<FakeToken> & { id: number }): FakeToken {
  return {
    key: fakeKey(partial.id),
    name: `token-${partial.id}`,
    group: '',
    status: 1,
    expired_time: -1,
    remain_quota: 5_000_000,
    used_quota: 0,
    unlimited_quota: false,
    model_limits_enabled: false,
    model_limits: '',
    ...partial,
  };
}

export function fakeModel(name: string, partial: Partial<FakeModel> = {}): FakeModel {
  return {
    model_name: name,
    quota_type: 0,
    model_ratio: 1,
    completion_ratio: 1,
    model_price: 0,
    enable_groups: ['default'],
    supported_endpoint_types: ['openai'],
    ...partial,
  };
}

/** new-api `MaskTokenKey`: first 4, ten `*`, last 4 (short keys differ upstream; here: all `*`). */
export function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 4)}${'*'.repeat(10)}${key.slice(-4)}`;
}

/** The text of content chunk `i` of every generated answer. */
export function fakeChunkText(i: number): string {
  return `c${i} `;
}

/** The full generated text: the concatenation of the `chunks` content chunks ("c0 c1 c2 c3 c4 " for 5). */
export function fakeCompletionText(chunks: number): string {
  return Array.from({ length: chunks }, (_, i) => fakeChunkText(i)).join('');
}

/**
 * Deterministic usage of a relay call:
 * - prompt tokens = max(1, ceil(request body bytes / 4)) (the raw body as received);
 * - completion tokens = streamChunks × 2 for generating endpoints (chat, completions, messages, responses,
 *   Gemini generate/stream), 0 for the others (embeddings, rerank, moderations, images, audio);
 * - total = prompt + completion.
 */
export function fakeUsage(
  bodyBytes: number,
  streamChunks: number,
  generates = true,
): { prompt: number; completion: number; total: number } {
  const prompt = Math.max(1, Math.ceil(bodyBytes / 4));
  const completion = generates ? streamChunks * 2 : 0;
  return { prompt, completion, total: prompt + completion };
}

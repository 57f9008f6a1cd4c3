/**
 * A fake NewAPI upstream (≈ v1.0.0-rc.21, see /work/shared/spec/newapi-upstream.md §14) for tests.
 *
 * Deterministic relay usage (fakeUsage):
 * - prompt tokens = max(1, ceil(raw request body bytes / 4));
 * - completion tokens = streamChunks × 2 for chat, completions, messages, responses and Gemini generate
 *   (stream or not), 0 for embeddings, rerank, moderations, images and audio;
 * - the generated text is fakeCompletionText(streamChunks) = "c0 c1 … c{n-1} " (chunk i is "c{i} ").
 * Each successful relay call is charged (see relay.ts) to the token and to the user before answering.
 */
export { FakeNewApi, defaultModels } from './server.js';
export { fakeKey, fakeToken, fakeModel, maskKey, fakeChunkText, fakeCompletionText, fakeUsage } from './factories.js';
export { fakeSpeech } from './relay-answers.js';
export { AUTH_VERSION } from './management.js';
export type {
  FakeToken,
  FakeModel,
  FakeFault,
  FaultRule,
  FakeNewApiOptions,
  FakeNewApiState,
  FakeCheckinRecord,
  RecordedRequest,
} from './types.js';

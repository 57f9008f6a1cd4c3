/**
 * The relay's endpoints as data: which error format each speaks and where its model comes from.
 * Defaults are NewAPI's (newapi-upstream.md §7.1), so a request without a model routes the way the
 * upstream will treat it.
 */
export type ErrorFormat = 'openai' | 'anthropic' | 'gemini';
export type ModelSource = 'json' | 'multipart' | 'gemini-path';

export interface RelayEndpoint {
  method: 'POST';
  path: string;
  format: ErrorFormat;
  model: ModelSource;
  /** Used when the request names no model; without one, a request with no model is refused. */
  defaultModel?: string;
}

export const RELAY_ENDPOINTS: readonly RelayEndpoint[] = [
  { method: 'POST', path: '/v1/chat/completions', format: 'openai', model: 'json' },
  { method: 'POST', path: '/v1/completions', format: 'openai', model: 'json' },
  { method: 'POST', path: '/v1/embeddings', format: 'openai', model: 'json' },
  { method: 'POST', path: '/v1/responses', format: 'openai', model: 'json' },
  { method: 'POST', path: '/v1/rerank', format: 'openai', model: 'json' },
  { method: 'POST', path: '/v1/moderations', format: 'openai', model: 'json', defaultModel: 'text-moderation-stable' },
  { method: 'POST', path: '/v1/images/generations', format: 'openai', model: 'json', defaultModel: 'dall-e' },
  { method: 'POST', path: '/v1/images/edits', format: 'openai', model: 'multipart', defaultModel: 'dall-e' },
  { method: 'POST', path: '/v1/audio/speech', format: 'openai', model: 'json', defaultModel: 'tts-1' },
  { method: 'POST', path: '/v1/audio/transcriptions', format: 'openai', model: 'multipart', defaultModel: 'whisper-1' },
  { method: 'POST', path: '/v1/audio/translations', format: 'openai', model: 'multipart', defaultModel: 'whisper-1' },
  { method: 'POST', path: '/v1/video/generations', format: 'openai', model: 'json' },
  { method: 'POST', path: '/v1/messages', format: 'anthropic', model: 'json' },
  { method: 'POST', path: '/v1beta/models/*', format: 'gemini', model: 'gemini-path' },
  { method: 'POST', path: '/v1/models/*', format: 'gemini', model: 'gemini-path' },
];

/** `/v1beta/models/gemini-2.5-flash:streamGenerateContent` → `gemini-2.5-flash`. */
export function modelFromGeminiPath(path: string): string | undefined {
  const match = /\/models\/([^/:?]+)(?::[^/?]*)?(?:\?|$)/.exec(path);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

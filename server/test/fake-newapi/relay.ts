import { parseRelayBody } from './body.js';
import { fakeUsage } from './factories.js';
import { middlewareError, relayError } from './http.js';
import { quotaFor } from './pricing.js';
import { answer, type RelayKind } from './relay-answers.js';
import { billingSubscription, billingUsage, geminiModels, modelById, modelList } from './relay-models.js';
import type { Ctx, FakeModel, FakeToken, Handler } from './types.js';

const POST_ROUTES: Record<string, RelayKind> = {
  '/v1/chat/completions': 'chat',
  '/v1/completions': 'completions',
  '/v1/embeddings': 'embeddings',
  '/v1/messages': 'messages',
  '/v1/responses': 'responses',
  '/v1/images/generations': 'images',
  '/v1/rerank': 'rerank',
  '/v1/moderations': 'moderations',
  '/v1/audio/transcriptions': 'transcriptions',
  '/v1/audio/translations': 'transcriptions',
  '/v1/audio/speech': 'speech',
};

/** Model names used when the request names none (relay-router defaults). */
const DEFAULT_MODELS: Partial<Record<RelayKind, string>> = {
  moderations: 'text-moderation-stable',
  images: 'dall-e',
  transcriptions: 'whisper-1',
  speech: 'tts-1',
};

const GEMINI_ACTIONS: Record<string, RelayKind> = {
  generateContent: 'gemini-generate',
  streamGenerateContent: 'gemini-generate',
  embedContent: 'gemini-embed',
  batchEmbedContents: 'gemini-batch-embed',
};

/** Kinds whose answer generates text (completion tokens = streamChunks × 2). */
const GENERATING = new Set<RelayKind>(['chat', 'completions', 'messages', 'responses', 'gemini-generate']);

function header(ctx: Ctx, name: string): string {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** middleware/auth.go TokenAuth key extraction: x-api-key, Gemini key/x-goog-api-key, then Authorization. */
function submittedKey(ctx: Ctx): string {
  const { path } = ctx;
  let auth = header(ctx, 'authorization');
  const anthropicKey = header(ctx, 'x-api-key');
  if ((path.includes('/v1/messages') || path.includes('/v1/models')) && anthropicKey) auth = `Bearer ${anthropicKey}`;
  if (['/v1beta/models', '/v1beta/openai/models', '/v1/models/'].some((p) => path.startsWith(p))) {
    const geminiKey = header(ctx, 'x-goog-api-key') || ctx.url.searchParams.get('key') || '';
    if (geminiKey) auth = `Bearer ${geminiKey}`;
  }
  return auth.replace(/^[Bb]earer /, '');
}

/** TokenAuth: sends 401/403 and returns undefined, or returns the token. Expired/exhausted get status 3/4. */
function authenticate(ctx: Ctx): FakeToken | undefined {
  const key = submittedKey(ctx);
  const parts = (key.startsWith('sk-') ? key.slice(3) : key).split('-');
  const token = parts[0] ? ctx.state.tokens.find((t) => t.key === parts[0]) : undefined;
  let valid = token !== undefined && token.status === 1;
  if (token && valid && token.expired_time !== -1 && token.expired_time * 1000 < Date.now()) {
    token.status = 3;
    valid = false;
  }
  if (token && valid && !token.unlimited_quota && token.remain_quota <= 0) {
    token.status = 4;
    valid = false;
  }
  if (!token || !valid) {
    middlewareError(ctx, 401, 'Invalid token');
    return undefined;
  }
  // The fake user is a common user (role 1): pinning a channel with sk-<key>-<id> is refused.
  if (parts.length > 1 && parts[1] !== '') {
    ctx.res.setHeader('specific_channel_version', '701e3ae1dc3f7975556d354e0675168d004891c8');
    middlewareError(ctx, 403, '普通用户不支持指定渠道');
    return undefined;
  }
  return token;
}

/** Distributor: the (model, group) pair must have a channel, i.e. the model's enable_groups has the group. */
function findChannel(ctx: Ctx, token: FakeToken, model: string): { model: FakeModel; group: string } | undefined {
  const group = token.group || ctx.state.group;
  const groups = group === 'auto' ? Object.keys(ctx.state.groupRatio) : [group];
  for (const g of groups) {
    const found = ctx.state.models.find((m) => m.model_name === model && m.enable_groups.includes(g));
    if (found) return { model: found, group: g };
  }
  middlewareError(
    ctx,
    503,
    `No available channel for model ${model} under group ${group} (distributor)`,
    'model_not_found',
  );
  return undefined;
}

function isStream(ctx: Ctx, kind: RelayKind, json: Record<string, unknown>): boolean {
  if (kind === 'gemini-generate') {
    return ctx.path.includes('streamGenerateContent') || ctx.url.searchParams.get('alt') === 'sse';
  }
  return ['chat', 'completions', 'messages', 'responses'].includes(kind) && json.stream === true;
}

/** Whether the request asks for an SSE answer (stream faults only match such requests). */
export function wantsStream(ctx: Ctx): boolean {
  const route = matchRelay(ctx.method, ctx.path);
  if (!route || route.kind === undefined) return false;
  const parsed = parseRelayBody(ctx.body, header(ctx, 'content-type'));
  return isStream(ctx, route.kind, parsed.ok ? parsed.json : {});
}

/**
 * One generating call: TokenAuth → model (body or path) → model limits → channel → user quota → answer.
 * The call is charged before answering (even if a stream fault cuts it):
 * quota = round((prompt + completion × completion_ratio) × model_ratio × group_ratio), or for quota_type 1
 * round(model_price × quota_per_unit × group_ratio); it comes off the token's remain_quota (unless unlimited),
 * the user's quota, and is added to both used_quota; request_count += 1.
 */
async function relay(ctx: Ctx, kind: RelayKind, pathModel?: string): Promise<void> {
  const token = authenticate(ctx);
  if (!token) return;
  const parsed = parseRelayBody(ctx.body, header(ctx, 'content-type'));
  if (!parsed.ok && pathModel === undefined) return middlewareError(ctx, 400, `Invalid request, ${parsed.error}`);
  const json = parsed.ok ? parsed.json : {};
  const model = pathModel ?? (parsed.ok ? parsed.fields.model : undefined) ?? DEFAULT_MODELS[kind] ?? '';
  if (model === '') return middlewareError(ctx, 400, 'Model name not specified, model name cannot be empty');
  if (token.model_limits_enabled) {
    const limits = token.model_limits.split(',').map((m) => m.trim());
    if (!limits.some(Boolean)) return middlewareError(ctx, 403, 'This token has no access to any models');
    if (!limits.includes(model)) return middlewareError(ctx, 403, `This token has no access to model ${model}`);
  }
  const channel = findChannel(ctx, token, model);
  if (!channel) return;
  const { state } = ctx;
  if (state.quota <= 0) {
    return relayError(ctx, 403, `用户额度不足, 剩余额度: ${state.quota}`, 'insufficient_user_quota');
  }
  const usage = fakeUsage(ctx.body.length, state.streamChunks, GENERATING.has(kind));
  const cost = quotaFor(state, channel.model, channel.group, usage);
  if (!token.unlimited_quota) token.remain_quota -= cost;
  token.used_quota += cost;
  state.quota -= cost;
  state.usedQuota += cost;
  state.requestCount += 1;
  const streamOptions = json.stream_options;
  const includeUsage =
    streamOptions !== null && typeof streamOptions === 'object'
      ? (streamOptions as Record<string, unknown>).include_usage === true
      : true;
  await answer(ctx, {
    kind,
    model,
    stream: isStream(ctx, kind, json),
    includeUsage,
    usage,
    chunks: state.streamChunks,
    body: json,
  });
}

function authed(fn: (ctx: Ctx, token: FakeToken) => void): Handler {
  return (ctx) => {
    const token = authenticate(ctx);
    if (token) fn(ctx, token);
  };
}

/** The relay route table; undefined → NoRoute 404. `kind` is set for the generating routes. */
export function matchRelay(method: string, path: string): { handler: Handler; kind?: RelayKind } | undefined {
  if (method === 'GET') {
    if (path === '/v1/models' || path === '/v1beta/openai/models') return { handler: authed(modelList) };
    if (path === '/v1beta/models') return { handler: authed(geminiModels) };
    const single = /^\/v1\/models\/([^/:]+)$/.exec(path);
    if (single) return { handler: authed((ctx) => modelById(ctx, decodeURIComponent(single[1]!))) };
    if (path === '/dashboard/billing/subscription' || path === '/v1/dashboard/billing/subscription') {
      return { handler: authed(billingSubscription) };
    }
    if (path === '/dashboard/billing/usage' || path === '/v1/dashboard/billing/usage') {
      return { handler: authed(billingUsage) };
    }
    return undefined;
  }
  if (method !== 'POST') return undefined;
  const kind = POST_ROUTES[path];
  if (kind) return { kind, handler: (ctx) => relay(ctx, kind) };
  const gemini = /^\/v1(?:beta)?\/models\/([^/]+):(\w+)$/.exec(path);
  const geminiKind = gemini ? GEMINI_ACTIONS[gemini[2]!] : undefined;
  if (gemini && geminiKind) {
    const model = decodeURIComponent(gemini[1]!);
    return { kind: geminiKind, handler: (ctx) => relay(ctx, geminiKind, model) };
  }
  return undefined;
}

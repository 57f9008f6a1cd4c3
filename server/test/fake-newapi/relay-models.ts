import { sendJson } from './http.js';
import { vendorId } from './pricing.js';
import type { Ctx, FakeToken } from './types.js';

const MODEL_CREATED = 1626777600;
const OWNERS: Record<number, string> = { 1: 'openai', 2: 'anthropic', 3: 'gemini' };

/**
 * The models a key may use: its `model_limits` when enabled, else the models whose enable_groups has the
 * token's group ('' = the user's group, 'auto' = any group of group_ratio). Order: as in state.models.
 */
export function usableModels(ctx: Ctx, token: FakeToken): string[] {
  if (token.model_limits_enabled) {
    return [...new Set(token.model_limits.split(',').map((m) => m.trim()))].filter(Boolean);
  }
  const group = token.group || ctx.state.group;
  const groups = group === 'auto' ? Object.keys(ctx.state.groupRatio) : [group];
  return ctx.state.models
    .filter((m) => m.enable_groups.some((g) => groups.includes(g)))
    .map((m) => m.model_name)
    .filter((name, i, all) => all.indexOf(name) === i);
}

function openAiModel(ctx: Ctx, id: string) {
  const known = ctx.state.models.find((m) => m.model_name === id);
  return {
    id,
    object: 'model',
    created: MODEL_CREATED,
    owned_by: OWNERS[vendorId(id)] ?? 'custom',
    supported_endpoint_types: known ? [...known.supported_endpoint_types] : ['openai'],
  };
}

/** `GET /v1/models`: Anthropic flavour with `x-api-key` + `anthropic-version`, else OpenAI. */
export function modelList(ctx: Ctx, token: FakeToken): void {
  const ids = usableModels(ctx, token);
  const headers = ctx.req.headers;
  if (ctx.path === '/v1/models' && headers['x-api-key'] && headers['anthropic-version']) {
    if (ids.length === 0) {
      // Upstream indexes data[0] of an empty list: the panic recovery answers 500.
      return sendJson(ctx.res, 500, {
        error: {
          message: 'Panic detected, error: runtime error: index out of range [0] with length 0',
          type: 'new_api_panic',
        },
      });
    }
    return sendJson(ctx.res, 200, {
      data: ids.map((id) => ({ id, created_at: '2021-07-20T10:40:00Z', display_name: id, type: 'model' })),
      first_id: ids[0],
      has_more: false,
      last_id: ids[ids.length - 1],
    });
  }
  sendJson(ctx.res, 200, { success: true, object: 'list', data: ids.map((id) => openAiModel(ctx, id)) });
}

/** `GET /v1beta/models`: Gemini flavour (`name` without the `models/` prefix, as upstream). */
export function geminiModels(ctx: Ctx, token: FakeToken): void {
  sendJson(ctx.res, 200, {
    models: usableModels(ctx, token).map((id) => ({
      name: id,
      displayName: id,
      baseModelId: null,
      version: null,
      description: null,
      inputTokenLimit: null,
      outputTokenLimit: null,
      supportedGenerationMethods: null,
      thinking: null,
      temperature: null,
      maxTemperature: null,
      topP: null,
      topK: null,
    })),
    nextPageToken: null,
  });
}

/** `GET /v1/models/:model`: a model of the pricing list, else HTTP 200 with an error object. */
export function modelById(ctx: Ctx, id: string): void {
  if (ctx.state.models.some((m) => m.model_name === id)) return sendJson(ctx.res, 200, openAiModel(ctx, id));
  sendJson(ctx.res, 200, {
    error: {
      message: `The model '${id}' does not exist`,
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    },
  });
}

/** `GET /dashboard/billing/subscription`: the token's numbers in USD (unlimited → 100000000). */
export function billingSubscription(ctx: Ctx, token: FakeToken): void {
  const perUnit = ctx.state.quotaPerUnit ?? 500_000;
  const amount = token.unlimited_quota ? 100_000_000 : (token.remain_quota + token.used_quota) / perUnit;
  sendJson(ctx.res, 200, {
    object: 'billing_subscription',
    has_payment_method: true,
    soft_limit_usd: amount,
    hard_limit_usd: amount,
    system_hard_limit_usd: amount,
    access_until: token.expired_time === -1 ? 0 : token.expired_time,
  });
}

/** `GET /dashboard/billing/usage`: the token's used quota in cents. */
export function billingUsage(ctx: Ctx, token: FakeToken): void {
  const perUnit = ctx.state.quotaPerUnit ?? 500_000;
  sendJson(ctx.res, 200, { object: 'list', total_usage: (token.used_quota / perUnit) * 100 });
}

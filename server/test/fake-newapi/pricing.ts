import { createHash } from 'node:crypto';
import { sendJson } from './http.js';
import type { Ctx, FakeModel, FakeNewApiState } from './types.js';

const VENDORS = [
  {
    id: 1,
    name: 'OpenAI',
    description: 'OpenAI models',
    icon: 'OpenAI',
    match: /^(gpt|o\d|text-|dall-e|whisper|tts|chatgpt)/i,
  },
  { id: 2, name: 'Anthropic', description: 'Claude models', icon: 'Claude.Color', match: /^claude/i },
  {
    id: 3,
    name: 'Google',
    description: 'Gemini models',
    icon: 'Gemini.Color',
    match: /^(gemini|gemma|text-embedding-004)/i,
  },
  { id: 4, name: 'Other', description: 'Other models', icon: 'Other', match: /./ },
];

const SUPPORTED_ENDPOINT: Record<string, { path: string; method: string }> = {
  openai: { path: '/v1/chat/completions', method: 'POST' },
  'openai-response': { path: '/v1/responses', method: 'POST' },
  anthropic: { path: '/v1/messages', method: 'POST' },
  gemini: { path: '/v1beta/models/{model}:generateContent', method: 'POST' },
  'jina-rerank': { path: '/v1/rerank', method: 'POST' },
  'image-generation': { path: '/v1/images/generations', method: 'POST' },
  embeddings: { path: '/v1/embeddings', method: 'POST' },
};

export function vendorId(model: string): number {
  return VENDORS.find((v) => v.match.test(model))!.id;
}

/** The item of `GET /api/pricing` for one model. */
export function pricingItem(model: FakeModel): Record<string, unknown> {
  const perToken = model.quota_type === 0;
  return {
    model_name: model.model_name,
    vendor_id: vendorId(model.model_name),
    quota_type: model.quota_type,
    model_ratio: perToken ? model.model_ratio : 0,
    model_price: perToken ? 0 : model.model_price,
    owner_by: '',
    completion_ratio: perToken ? model.completion_ratio : 0,
    enable_groups: [...model.enable_groups],
    supported_endpoint_types: [...model.supported_endpoint_types],
  };
}

export function usableGroups(state: FakeNewApiState): Record<string, string> {
  const groups: Record<string, string> = {};
  for (const name of new Set([...Object.keys(state.groupRatio), state.group])) {
    groups[name] = name === 'default' ? '默认分组' : `${name}分组`;
  }
  return groups;
}

/**
 * `GET /api/pricing` (public, TryUserAuth): not the plain envelope; extra keys at top level, no `message`.
 * Items keep the order of `state.models` (upstream's is random) and are not filtered by group.
 */
export function handlePricing(ctx: Ctx): void {
  const { state } = ctx;
  const items = state.models.map(pricingItem);
  const version = createHash('md5').update(JSON.stringify(state.models)).digest('hex');
  if (items[0]) items[0].pricing_version = version;
  const used = new Set(items.map((item) => item.vendor_id));
  sendJson(ctx.res, 200, {
    success: true,
    data: items,
    vendors: VENDORS.filter((v) => used.has(v.id)).map(({ id, name, description, icon }) => ({
      id,
      name,
      description,
      icon,
    })),
    group_ratio: { ...state.groupRatio },
    usable_group: usableGroups(state),
    supported_endpoint: SUPPORTED_ENDPOINT,
    auto_groups: ['default'],
    pricing_version: version,
  });
}

/** new-api quota of one call (relay/helper/price.go), rounded to an integer. */
export function quotaFor(
  state: FakeNewApiState,
  model: FakeModel,
  group: string,
  usage: { prompt: number; completion: number },
): number {
  const groupRatio = state.groupRatio[group] ?? 1;
  if (model.quota_type === 1) return Math.round(model.model_price * (state.quotaPerUnit ?? 500_000) * groupRatio);
  return Math.round((usage.prompt + usage.completion * model.completion_ratio) * model.model_ratio * groupRatio);
}

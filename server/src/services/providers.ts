import { isUniqueViolation } from '../db/errors.js';
import { maskKey } from '../domain/keys.js';
import { priceInUsd, type Price } from '../domain/pricing.js';
import { appError } from '../errors/catalogue.js';
import type { ModelPricingsRepo } from '../repos/model-pricings.js';
import type { ProviderTokensRepo } from '../repos/provider-tokens.js';
import type { ProviderRow, ProvidersRepo, ProviderUpdate } from '../repos/providers.js';
import { parseJsonList } from './sync/route-builder.js';
import type { RouteBuilder } from './sync/route-builder.js';

export interface ProviderInput {
  name: string;
  base_url: string;
  access_token: string;
  user_id: number;
  weight?: number;
  priority?: number;
  status?: number;
  checkin_enabled?: boolean;
  remark?: string;
}

export type ProviderChanges = Partial<ProviderInput>;

/** A provider as the API shows it: the access token never, its state always. */
export interface ProviderView {
  id: number;
  name: string;
  base_url: string;
  user_id: number;
  weight: number;
  priority: number;
  status: number;
  checkin_enabled: boolean;
  remark: string;
  has_access_token: boolean;
  balance_usd: number | null;
  balance_updated_at: number;
  user_group: string;
  last_synced_at: number;
  last_sync_result: unknown;
  last_checkin_at: number;
  last_checkin_result: unknown;
  created_at: number;
  updated_at: number;
}

export interface ProviderTokenView {
  id: number;
  upstream_token_id: number;
  name: string;
  group_name: string;
  status: number;
  key: string;
  remain_quota: number;
  used_quota: number;
  unlimited_quota: boolean;
  model_limits_enabled: boolean;
  model_limits: string;
  expired_time: number;
  last_synced_at: number;
}

export interface PricingView extends Price {
  model_name: string;
  quota_type: number;
  model_ratio: number;
  completion_ratio: number;
  model_price: number;
  enable_groups: string[];
  supported_endpoint_types: string[];
  last_synced_at: number;
}

export interface ProviderServiceDeps {
  providers: ProvidersRepo;
  tokens: ProviderTokensRepo;
  pricings: ModelPricingsRepo;
  routeBuilder: RouteBuilder;
  onRoutesChanged: () => Promise<void>;
  now: () => number;
}

/** Fields whose change alters which routes exist or how they are weighed. */
const ROUTE_FIELDS: ReadonlyArray<keyof ProviderChanges> = ['weight', 'priority', 'status'];

export class ProvidersService {
  constructor(private readonly deps: ProviderServiceDeps) {}

  async page(keyword: string | undefined, offset: number, limit: number) {
    const { items, total } = await this.deps.providers.page(keyword, offset, limit);
    return { items: items.map(toProviderView), total };
  }

  async get(id: number): Promise<ProviderView> {
    return toProviderView(await this.require(id));
  }

  async require(id: number): Promise<ProviderRow> {
    const provider = await this.deps.providers.findById(id);
    if (!provider) throw appError('NOT_FOUND', `provider ${id} not found`);
    return provider;
  }

  async create(input: ProviderInput): Promise<ProviderView> {
    const now = this.deps.now();
    try {
      const id = await this.deps.providers.insert({
        name: input.name,
        base_url: input.base_url,
        access_token: input.access_token,
        user_id: input.user_id,
        weight: input.weight ?? 10,
        priority: input.priority ?? 0,
        status: input.status ?? 1,
        checkin_enabled: input.checkin_enabled ? 1 : 0,
        remark: input.remark ?? '',
        last_checkin_result: '',
        last_sync_result: '',
        group_ratios: '{}',
        auto_groups: '[]',
        created_at: now,
        updated_at: now,
      });
      return this.get(id);
    } catch (error) {
      throw duplicateName(error, input.name);
    }
  }

  async update(id: number, changes: ProviderChanges): Promise<ProviderView> {
    const provider = await this.require(id);
    const update: ProviderUpdate = { updated_at: this.deps.now() };
    if (changes.name !== undefined) update.name = changes.name;
    if (changes.base_url !== undefined) update.base_url = changes.base_url;
    // An empty access token means "unchanged": the panel never has the old one to send back.
    if (changes.access_token) update.access_token = changes.access_token;
    if (changes.user_id !== undefined) update.user_id = changes.user_id;
    if (changes.weight !== undefined) update.weight = changes.weight;
    if (changes.priority !== undefined) update.priority = changes.priority;
    if (changes.status !== undefined) update.status = changes.status;
    if (changes.checkin_enabled !== undefined) update.checkin_enabled = changes.checkin_enabled ? 1 : 0;
    if (changes.remark !== undefined) update.remark = changes.remark;
    try {
      await this.deps.providers.update(id, update);
    } catch (error) {
      throw duplicateName(error, changes.name ?? provider.name);
    }
    const updated = await this.require(id);
    if (ROUTE_FIELDS.some((field) => changes[field] !== undefined)) {
      await this.deps.routeBuilder.rebuild(updated);
      await this.deps.onRoutesChanged();
    }
    return toProviderView(updated);
  }

  async delete(id: number): Promise<void> {
    await this.require(id);
    await this.deps.providers.deleteWithData(id);
    await this.deps.onRoutesChanged();
  }

  async tokens(id: number): Promise<ProviderTokenView[]> {
    await this.require(id);
    return (await this.deps.tokens.listByProvider(id)).map((token) => ({
      id: token.id,
      upstream_token_id: token.upstream_token_id,
      name: token.name,
      group_name: token.group_name,
      status: token.status,
      key: maskKey(token.sk_key),
      remain_quota: token.remain_quota,
      used_quota: token.used_quota,
      unlimited_quota: token.unlimited_quota === 1,
      model_limits_enabled: token.model_limits_enabled === 1,
      model_limits: token.model_limits,
      expired_time: token.expired_time,
      last_synced_at: token.last_synced_at,
    }));
  }

  async pricing(id: number): Promise<{ group_ratio: Record<string, number>; items: PricingView[] }> {
    const provider = await this.require(id);
    const rows = await this.deps.pricings.listByProvider(id);
    return {
      group_ratio: parseRatios(provider.group_ratios),
      items: rows.map((row) => ({
        model_name: row.model_name,
        quota_type: row.quota_type,
        model_ratio: row.model_ratio,
        completion_ratio: row.completion_ratio,
        model_price: row.model_price,
        enable_groups: parseJsonList(row.enable_groups),
        supported_endpoint_types: parseJsonList(row.supported_endpoint_types),
        last_synced_at: row.last_synced_at,
        ...priceInUsd({
          quotaType: row.quota_type,
          modelRatio: row.model_ratio,
          completionRatio: row.completion_ratio,
          modelPrice: row.model_price,
        }),
      })),
    };
  }
}

export function toProviderView(row: ProviderRow): ProviderView {
  return {
    id: row.id,
    name: row.name,
    base_url: row.base_url,
    user_id: row.user_id,
    weight: row.weight,
    priority: row.priority,
    status: row.status,
    checkin_enabled: row.checkin_enabled === 1,
    remark: row.remark,
    has_access_token: row.access_token.length > 0,
    balance_usd: row.balance_usd,
    balance_updated_at: row.balance_updated_at,
    user_group: row.user_group,
    last_synced_at: row.last_synced_at,
    last_sync_result: parseJson(row.last_sync_result),
    last_checkin_at: row.last_checkin_at,
    last_checkin_result: parseJson(row.last_checkin_result),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function duplicateName(error: unknown, name: string): unknown {
  return isUniqueViolation(error) ? appError('CONFLICT', `name: a provider named "${name}" already exists`) : error;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function parseRatios(text: string): Record<string, number> {
  const value = parseJson(text);
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
}

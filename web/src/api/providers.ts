/** Providers and routes (docs/api.md §1.5, §1.6): types as the server sends them, and the calls. */
import { api, type Envelope, type Page } from './client.js';

export type SyncStepName = 'pricing' | 'tokens' | 'balance' | 'routes';

export interface SyncStep {
  step: SyncStepName;
  ok: boolean;
  error?: string;
  counts: Record<string, number>;
  ms: number;
}

export interface SyncReport {
  provider_id: number;
  ok: boolean;
  started_at: number;
  finished_at: number;
  steps: SyncStep[];
}

export type CheckinStatus = 'done' | 'already' | 'disabled' | 'unsupported' | 'failed';

export interface CheckinResult {
  status: CheckinStatus;
  message: string;
  quota_awarded?: number;
  at: number;
}

export interface Provider {
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
  last_sync_result: SyncReport | null;
  last_checkin_at: number;
  last_checkin_result: CheckinResult | null;
  created_at: number;
  updated_at: number;
}

/** The body of POST/PUT /api/provider/; on update an empty access_token keeps the stored one. */
export interface ProviderBody {
  id?: number;
  name: string;
  base_url: string;
  /** Required on create; left out on update to keep the stored token. */
  access_token?: string;
  user_id: number;
  weight: number;
  priority: number;
  status: number;
  checkin_enabled: boolean;
  remark: string;
}

export interface ProviderToken {
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

export interface PricingItem {
  model_name: string;
  quota_type: number;
  model_ratio: number;
  completion_ratio: number;
  model_price: number;
  enable_groups: string[];
  supported_endpoint_types: string[];
  last_synced_at: number;
  billing: 'per_token' | 'per_call';
  input_per_1m: number | null;
  output_per_1m: number | null;
  per_call: number | null;
}

export interface ProviderPricing {
  group_ratio: Record<string, number>;
  items: PricingItem[];
}

export interface ModelRoute {
  id: number;
  model_name: string;
  provider_id: number;
  provider_name: string;
  provider_token_id: number;
  token_name: string;
  token_group: string;
  priority: number;
  weight: number;
  enabled: boolean;
  overridden: boolean;
  share: number;
  updated_at: number;
  /** Resting after failures (in the server process that answered): until when, how many, why. */
  health: { cooling_until: number; failures: number; last_error: string; last_failure_at: number };
}

export interface RouteChanges {
  priority?: number;
  weight?: number;
  enabled?: boolean;
}

export interface RouteBuildCounts {
  routes: number;
  added: number;
  updated: number;
  removed: number;
}

export const providerKeys = {
  all: ['providers'] as const,
  list: (page: number, pageSize: number, keyword: string) => ['providers', 'list', page, pageSize, keyword] as const,
  one: (id: number) => ['providers', 'one', id] as const,
  tokens: (id: number) => ['providers', 'tokens', id] as const,
  pricing: (id: number) => ['providers', 'pricing', id] as const,
};

export const routeKeys = {
  all: ['routes'] as const,
  models: ['routes', 'models'] as const,
  byModel: (model: string) => ['routes', 'model', model] as const,
  byProvider: (id: number, page: number, pageSize: number) => ['routes', 'provider', id, page, pageSize] as const,
};

export const providersApi = {
  list: (page: number, pageSize: number, keyword: string) =>
    api.get<Page<Provider>>('/api/provider/', { p: page, page_size: pageSize, keyword: keyword.trim() }),
  get: (id: number) => api.get<Provider>(`/api/provider/${id}`),
  create: (body: ProviderBody) => api.post<Provider>('/api/provider/', body),
  update: (body: ProviderBody) => api.put<Provider>('/api/provider/', body),
  remove: (id: number) => api.delete<null>(`/api/provider/${id}`),
  sync: (id: number) => api.post<SyncReport>(`/api/provider/${id}/sync`),
  checkin: (id: number): Promise<Envelope<CheckinResult>> =>
    api.postEnvelope<CheckinResult>(`/api/provider/${id}/checkin`),
  tokens: (id: number) => api.get<ProviderToken[]>(`/api/provider/${id}/tokens`),
  pricing: (id: number) => api.get<ProviderPricing>(`/api/provider/${id}/pricing`),
};

export const routesApi = {
  models: () => api.get<string[]>('/api/route/models'),
  byModel: (model: string) => api.get<Page<ModelRoute>>('/api/route/', { model, page_size: 100 }),
  byProvider: (providerId: number, page: number, pageSize: number) =>
    api.get<Page<ModelRoute>>('/api/route/', { provider_id: providerId, p: page, page_size: pageSize }),
  update: (id: number, changes: RouteChanges) => api.put<null>(`/api/route/${id}`, changes),
  rebuild: () => api.post<RouteBuildCounts>('/api/route/rebuild'),
  resetHealth: (id: number) => api.post<null>(`/api/route/${id}/health/reset`),
};

import { api, type Page } from './client.js';

/** An aggregated (`ag-`) token as the server shows it; `key` is masked except right after creation. */
export interface AggToken {
  id: number;
  user_id: number;
  name: string;
  key: string;
  status: number;
  /** Unix seconds, or -1 for never. */
  expired_time: number;
  model_limits_enabled: boolean;
  /** Comma-separated model names. */
  model_limits: string;
  /** One IP or CIDR range a line; empty allows every address. */
  allow_ips: string;
  created_at: number;
  updated_at: number;
  accessed_at: number;
}

export interface AggTokenBody {
  name?: string;
  status?: number;
  expired_time?: number;
  model_limits_enabled?: boolean;
  model_limits?: string;
  allow_ips?: string;
}

export const TOKENS_QUERY_KEY = ['agg-tokens'] as const;

export const tokensApi = {
  list: (page: number, pageSize: number, keyword?: string) =>
    api.get<Page<AggToken>>('/api/agg-token/', { p: page, page_size: pageSize, keyword }),
  create: (body: AggTokenBody) => api.post<AggToken>('/api/agg-token/', body),
  update: (id: number, body: AggTokenBody) => api.put<AggToken>('/api/agg-token/', { id, ...body }),
  remove: (id: number) => api.delete<null>(`/api/agg-token/${id}`),
  reveal: (id: number) => api.post<{ key: string }>(`/api/agg-token/${id}/key`).then((data) => data.key),
};

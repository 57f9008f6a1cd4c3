import { api, type Page } from './client.js';
import type { User } from './types.js';

export interface NewUserBody {
  username: string;
  password: string;
  display_name?: string;
  email?: string;
  role?: number;
}

export interface UserChangesBody {
  display_name?: string;
  email?: string;
  password?: string;
  status?: number;
}

export interface SelfChangesBody {
  display_name?: string;
  email?: string;
  password?: string;
  original_password?: string;
}

export type ManageAction = 'enable' | 'disable' | 'delete' | 'promote' | 'demote';

export const USERS_QUERY_KEY = ['users'] as const;

export const usersApi = {
  list: (page: number, pageSize: number, keyword?: string) =>
    api.get<Page<User>>('/api/user/', { p: page, page_size: pageSize, keyword }),
  create: (body: NewUserBody) => api.post<User>('/api/user/', body),
  update: (id: number, body: UserChangesBody) => api.put<User>('/api/user/', { id, ...body }),
  remove: (id: number) => api.delete<null>(`/api/user/${id}`),
  manage: (id: number, action: ManageAction) => api.post<User | null>('/api/user/manage', { id, action }),
  updateSelf: (body: SelfChangesBody) => api.put<User>('/api/user/self', body),
  /** A new personal access token, shown this once; the previous one stops working. */
  generateAccessToken: () => api.post<string>('/api/user/token'),
};

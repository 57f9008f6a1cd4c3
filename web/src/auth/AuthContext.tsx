import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { ApiError, api } from '../api/client.js';
import { Role, type User } from '../api/types.js';

interface AuthState {
  user: User | null;
  loading: boolean;
  isAdmin: boolean;
  isRoot: boolean;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
  refresh(): Promise<unknown>;
}

const AuthContext = createContext<AuthState | null>(null);

export const SELF_QUERY_KEY = ['user', 'self'] as const;

/** Who is logged in, from GET /api/user/self; a 401 simply means nobody. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const self = useQuery({
    queryKey: SELF_QUERY_KEY,
    queryFn: async () => {
      try {
        return await api.get<User>('/api/user/self');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
  const value = useMemo<AuthState>(() => {
    const user = self.data ?? null;
    return {
      user,
      loading: self.isPending,
      isAdmin: (user?.role ?? 0) >= Role.admin,
      isRoot: (user?.role ?? 0) >= Role.root,
      async login(username, password) {
        const logged = await api.post<User>('/api/user/login', { username, password });
        client.setQueryData(SELF_QUERY_KEY, logged);
        return logged;
      },
      async logout() {
        await api.post('/api/user/logout').catch(() => undefined);
        client.clear();
        client.setQueryData(SELF_QUERY_KEY, null);
      },
      refresh: () => self.refetch(),
    };
  }, [self, client]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

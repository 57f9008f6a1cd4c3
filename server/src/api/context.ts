import type { UserRow } from '../db/schema.js';
import type { Config } from '../config/config.js';
import type { AggTokensService } from '../services/agg-tokens.js';
import type { AuthService } from '../services/auth.js';
import type { OptionsService } from '../services/options.js';
import type { UsersService } from '../services/users.js';
import type { CheckinService } from '../services/checkin.js';
import type { DashboardService } from '../services/dashboard.js';
import type { LogsService } from '../services/logs.js';
import type { ProvidersService } from '../services/providers.js';
import type { RoutesService } from '../services/routes.js';
import type { SyncService } from '../services/sync/sync-service.js';
import type { Redis } from 'ioredis';

/** What the admin API is built from; the composition root supplies it. */
export interface ApiDeps {
  config: Config;
  auth: AuthService;
  users: UsersService;
  options: OptionsService;
  providers: ProvidersService;
  sync: SyncService;
  checkin: CheckinService;
  routes: RoutesService;
  aggTokens: AggTokensService;
  logs: LogsService;
  dashboard: DashboardService;
  redis: Redis | undefined;
  version: string;
  startedAt: number;
  now: () => number;
}

export const SESSION_COOKIE = 'session';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook when the caller is logged in or sent a valid access token. */
    user: UserRow | null;
    authVia: 'token' | 'session' | null;
  }
  interface FastifyContextConfig {
    /** The lowest role that may call the route; absent means public. */
    minRole?: number;
    /** A GET that changes something (logout, new access token): guarded against cross-site use like a POST. */
    changesState?: boolean;
  }
}

/** The authenticated user of a route that declared a `minRole`; the auth hook guarantees it. */
export function currentUser(request: { user: UserRow | null }): UserRow {
  if (!request.user) throw new Error('route without minRole asked for the current user');
  return request.user;
}

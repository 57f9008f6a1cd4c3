import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { appError } from '../errors/catalogue.js';
import { authenticateHook, crossSiteGuard } from './auth-hooks.js';
import type { ApiDeps } from './context.js';
import { apiErrorHandler } from './error-handler.js';
import { registerRateLimit } from './rate-limit.js';
import { aggTokenRoutes } from './routes/agg-tokens.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { logRoutes } from './routes/logs.js';
import { modelRouteRoutes } from './routes/model-routes.js';
import { optionRoutes } from './routes/options.js';
import { providerRoutes } from './routes/providers.js';
import { sessionRoutes } from './routes/session.js';
import { statusRoutes } from './routes/status.js';
import { userAdminRoutes } from './routes/users.js';

/**
 * The admin REST API under /api. The rate limit runs first (onRequest), so even requests that fail
 * authentication are counted; who is calling is resolved after, in preValidation.
 */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(
    async (api) => {
      api.setErrorHandler(apiErrorHandler);
      api.setNotFoundHandler((request) => {
        throw appError('NOT_FOUND', `no API route ${request.method} ${request.url.split('?')[0] ?? ''}`);
      });
      await api.register(cookie);
      await registerRateLimit(
        api,
        deps.config.apiRateLimit,
        deps.redis && { client: deps.redis, keyPrefix: deps.config.redisKeyPrefix },
      );
      api.decorateRequest('user', null);
      api.decorateRequest('authVia', null);
      api.addHook('preValidation', authenticateHook(deps.auth));
      api.addHook('preValidation', crossSiteGuard);

      statusRoutes(api, deps);
      sessionRoutes(api, deps);
      userAdminRoutes(api, deps);
      optionRoutes(api, deps);
      providerRoutes(api, deps);
      modelRouteRoutes(api, deps);
      aggTokenRoutes(api, deps);
      logRoutes(api, deps);
      dashboardRoutes(api, deps);
    },
    { prefix: '/api' },
  );
}

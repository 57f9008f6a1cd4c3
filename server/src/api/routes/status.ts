import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../context.js';
import { ok } from '../envelope.js';

/** Public facts the login page and clients need before anyone is logged in. */
export function statusRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/status', { config: { rateLimit: false } }, () =>
    ok({
      version: deps.version,
      start_time: deps.startedAt,
      system_name: deps.options.get('SystemName'),
      notice: deps.options.get('Notice'),
      footer: deps.options.get('Footer'),
      about: deps.options.get('About'),
      register_enabled: deps.options.get('RegisterEnabled'),
      password_login_enabled: deps.options.get('PasswordLoginEnabled'),
    }),
  );
}

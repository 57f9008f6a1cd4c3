import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Role } from '../../domain/roles.js';
import { DASHBOARD_WINDOWS } from '../../services/dashboard.js';
import type { ApiDeps } from '../context.js';
import { ok } from '../envelope.js';
import { parseInput } from '../validation.js';

const dashboardQuery = z.object({ window: z.enum(DASHBOARD_WINDOWS).default('today') });

/** The admin dashboard: traffic, spend and health over one window. Admins only. */
export function dashboardRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/dashboard', { config: { minRole: Role.admin } }, async (request) => {
    const { window } = parseInput(dashboardQuery, request.query);
    return ok(await deps.dashboard.overview(window));
  });
}

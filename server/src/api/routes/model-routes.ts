import type { FastifyInstance } from 'fastify';
import { Role } from '../../domain/roles.js';
import type { ApiDeps } from '../context.js';
import { ok } from '../envelope.js';
import { routeListQuery, updateRouteBody } from '../schemas.js';
import { idParam, parseInput, parsePage } from '../validation.js';

/** The route table: admins only. */
export function modelRouteRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const admin = { config: { minRole: Role.admin } };

  app.get('/route/', admin, async (request) => {
    const { page, pageSize, offset } = parsePage(request.query);
    const { model, provider_id } = parseInput(routeListQuery, request.query);
    const { items, total } = await deps.routes.page({ model, providerId: provider_id, offset, limit: pageSize });
    return ok({ items, total, page, page_size: pageSize });
  });

  app.get('/route/models', admin, async () => ok(await deps.routes.models()));

  app.put('/route/:id', admin, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await deps.routes.update(id, parseInput(updateRouteBody, request.body));
    return ok(null);
  });

  app.post('/route/rebuild', admin, async () => ok(await deps.routes.rebuildAll()));

  // Route health lives in each process's memory: these clear it in the process that answers.
  app.post('/route/health/reset', admin, async () => {
    await deps.routes.clearHealth();
    return ok(null);
  });

  app.post('/route/:id/health/reset', admin, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await deps.routes.clearHealth(id);
    return ok(null);
  });
}

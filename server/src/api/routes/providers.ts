import type { FastifyInstance } from 'fastify';
import { Role } from '../../domain/roles.js';
import type { ApiDeps } from '../context.js';
import { ok } from '../envelope.js';
import { createProviderBody, providerListQuery, updateProviderBody } from '../schemas.js';
import { idParam, parseInput, parsePage } from '../validation.js';

/** Upstream providers: admins only. */
export function providerRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const admin = { config: { minRole: Role.admin } };
  const providerId = (params: unknown) => parseInput(idParam, params).id;

  app.get('/provider/', admin, async (request) => {
    const { page, pageSize, offset } = parsePage(request.query);
    const { keyword } = parseInput(providerListQuery, request.query);
    const { items, total } = await deps.providers.page(keyword, offset, pageSize);
    return ok({ items, total, page, page_size: pageSize });
  });

  app.get('/provider/:id', admin, async (request) => ok(await deps.providers.get(providerId(request.params))));

  app.post('/provider/', admin, async (request) => {
    const provider = await deps.providers.create(parseInput(createProviderBody, request.body));
    // A new provider is useful only once synced; start at once instead of at the next tick.
    deps.sync.sync(provider.id).catch((error: unknown) => request.log.error({ err: error }, 'first sync failed'));
    return ok(provider);
  });

  app.put('/provider/', admin, async (request) => {
    const { id, ...changes } = parseInput(updateProviderBody, request.body);
    return ok(await deps.providers.update(id, changes));
  });

  app.delete('/provider/:id', admin, async (request) => {
    await deps.providers.delete(providerId(request.params));
    return ok(null);
  });

  app.post('/provider/:id/sync', admin, async (request) => {
    const id = providerId(request.params);
    await deps.providers.require(id);
    const report = await deps.sync.sync(id);
    return ok(report, report.ok ? 'sync finished' : 'sync finished with errors');
  });

  app.post('/provider/:id/checkin', admin, async (request) => {
    const id = providerId(request.params);
    await deps.providers.require(id);
    const result = await deps.checkin.checkin(id);
    return ok(result, result.message);
  });

  app.get('/provider/:id/tokens', admin, async (request) =>
    ok(await deps.providers.tokens(providerId(request.params))),
  );

  app.get('/provider/:id/pricing', admin, async (request) =>
    ok(await deps.providers.pricing(providerId(request.params))),
  );
}

import type { FastifyInstance } from 'fastify';
import { Role } from '../../domain/roles.js';
import { currentUser, type ApiDeps } from '../context.js';
import { ok } from '../envelope.js';
import { aggTokenListQuery, createAggTokenBody, updateAggTokenBody } from '../schemas.js';
import { idParam, parseInput, parsePage } from '../validation.js';

/**
 * A user's own aggregated (`ag-`) tokens. Every route acts as the caller on the caller's tokens
 * only; another user's token is 404, admins included.
 */
export function aggTokenRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const user = { config: { minRole: Role.user } };
  const tokenId = (params: unknown) => parseInput(idParam, params).id;

  app.get('/agg-token/', user, async (request) => {
    const { page, pageSize, offset } = parsePage(request.query);
    const { keyword } = parseInput(aggTokenListQuery, request.query);
    const { items, total } = await deps.aggTokens.page(currentUser(request).id, keyword, offset, pageSize);
    return ok({ items, total, page, page_size: pageSize });
  });

  app.get('/agg-token/:id', user, async (request) =>
    ok(await deps.aggTokens.get(currentUser(request).id, tokenId(request.params))),
  );

  app.post('/agg-token/', user, async (request) =>
    ok(await deps.aggTokens.create(currentUser(request).id, parseInput(createAggTokenBody, request.body))),
  );

  // A POST, not a GET: it hands out a secret, so it gets the cross-site guard of a change.
  app.post('/agg-token/:id/key', user, async (request) => {
    const key = await deps.aggTokens.reveal(currentUser(request).id, tokenId(request.params));
    return ok({ key });
  });

  app.put('/agg-token/', user, async (request) => {
    const { id, ...changes } = parseInput(updateAggTokenBody, request.body);
    return ok(await deps.aggTokens.update(currentUser(request).id, id, changes));
  });

  app.delete('/agg-token/:id', user, async (request) => {
    await deps.aggTokens.delete(currentUser(request).id, tokenId(request.params));
    return ok(null);
  });
}

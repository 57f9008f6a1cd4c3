import type { FastifyInstance } from 'fastify';
import { Role } from '../../domain/roles.js';
import type { ApiDeps } from '../context.js';
import { ok } from '../envelope.js';
import { optionUpdateBody } from '../schemas.js';
import { parseInput } from '../validation.js';

/** System options, root only. */
export function optionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const root = { config: { minRole: Role.root } };

  app.get('/option/', root, () => ok(deps.options.list()));

  app.put('/option/', root, async (request) => {
    const { key, value } = parseInput(optionUpdateBody, request.body);
    return ok(await deps.options.update(key, value, deps.now()));
  });
}

import type { FastifyInstance } from 'fastify';
import { Role } from '../../domain/roles.js';
import { appError } from '../../errors/catalogue.js';
import { currentUser, type ApiDeps } from '../context.js';
import { ok, type Page } from '../envelope.js';
import { createUserBody, manageUserBody, updateUserBody, userListQuery } from '../schemas.js';
import { idParam, parseInput, parsePage } from '../validation.js';
import type { UserView } from '../../services/users.js';

/** Admin user management. The service enforces who may act on whom. */
export function userAdminRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const admin = { config: { minRole: Role.admin } };

  const list = async (query: unknown): Promise<Page<UserView>> => {
    const { page, pageSize, offset } = parsePage(query);
    const { keyword } = parseInput(userListQuery, query);
    const { items, total } = await deps.users.list(keyword, offset, pageSize);
    return { items, total, page, page_size: pageSize };
  };

  app.get('/user/', admin, async (request) => ok(await list(request.query)));
  app.get('/user/search', admin, async (request) => ok(await list(request.query)));

  app.get('/user/:id', admin, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return ok(await deps.users.get(currentUser(request), id));
  });

  app.post('/user/', admin, async (request) => {
    const input = parseInput(createUserBody, request.body);
    return ok(await deps.users.create(input, currentUser(request)));
  });

  app.put('/user/', admin, async (request) => {
    const { id, ...changes } = parseInput(updateUserBody, request.body);
    return ok(await deps.users.update(currentUser(request), id, changes));
  });

  app.delete('/user/:id', admin, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await deps.users.delete(currentUser(request), id);
    return ok(null);
  });

  app.post('/user/manage', admin, async (request) => {
    const body = parseInput(manageUserBody, request.body);
    const id = body.id ?? (await deps.users.findByUsername(body.username ?? ''))?.id;
    if (id === undefined) throw appError('USER_NOT_FOUND');
    return ok(await deps.users.manage(currentUser(request), id, body.action));
  });
}

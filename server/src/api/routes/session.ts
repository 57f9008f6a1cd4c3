import type { FastifyInstance, FastifyReply } from 'fastify';
import { Role } from '../../domain/roles.js';
import { appError } from '../../errors/catalogue.js';
import { SESSION_TTL_SECONDS } from '../../services/sessions.js';
import { toUserView } from '../../services/users.js';
import { SESSION_COOKIE, currentUser, type ApiDeps } from '../context.js';
import { ok } from '../envelope.js';
import { loginBody, registerBody, selfUpdateBody } from '../schemas.js';
import { parseInput } from '../validation.js';

/** Login, logout, registration and the caller's own account. */
export function sessionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const loginLimit = deps.config.loginRateLimit > 0 ? { max: deps.config.loginRateLimit, timeWindow: 60_000 } : false;

  const setSessionCookie = (reply: FastifyReply, value: string) =>
    reply.setCookie(SESSION_COOKIE, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.sessionSecure,
      maxAge: SESSION_TTL_SECONDS,
    });

  app.post('/user/login', { config: { rateLimit: loginLimit } }, async (request, reply) => {
    const { username, password } = parseInput(loginBody, request.body);
    const user = await deps.users.login(username, password);
    if (!deps.options.get('PasswordLoginEnabled') && user.role < Role.root) throw appError('PASSWORD_LOGIN_DISABLED');
    setSessionCookie(reply, await deps.auth.startSession(user));
    request.log.info({ userId: user.id }, 'user logged in');
    return ok({ ...toUserView(user), default_password: await deps.users.hasDefaultPassword(user) });
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/user/logout',
    config: { changesState: true },
    handler: async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await deps.auth.endSession(cookie);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return ok(null);
    },
  });

  app.post('/user/register', { config: { rateLimit: loginLimit } }, async (request) => {
    if (!deps.options.get('RegisterEnabled')) throw appError('REGISTRATION_DISABLED');
    const { username, password } = parseInput(registerBody, request.body);
    return ok(await deps.users.register(username, password));
  });

  app.get('/user/self', { config: { minRole: Role.user } }, async (request) => {
    const user = currentUser(request);
    return ok({ ...toUserView(user), default_password: await deps.users.hasDefaultPassword(user) });
  });

  app.put('/user/self', { config: { minRole: Role.user } }, async (request, reply) => {
    const user = currentUser(request);
    const changes = parseInput(selfUpdateBody, request.body);
    const view = await deps.users.updateSelf(user, changes);
    // A password change ends every session; keep this one alive with a fresh cookie.
    if (changes.password !== undefined && request.authVia === 'session') {
      const updated = await deps.users.findById(user.id);
      if (updated) setSessionCookie(reply, await deps.auth.startSession(updated));
    }
    return ok(view);
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/user/token',
    config: { minRole: Role.user, changesState: true },
    handler: async (request) => ok(await deps.users.generateAccessToken(currentUser(request))),
  });
}

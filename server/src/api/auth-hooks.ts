import type { FastifyReply, FastifyRequest } from 'fastify';
import { appError } from '../errors/catalogue.js';
import type { AuthService } from '../services/auth.js';
import { SESSION_COOKIE } from './context.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Resolves the caller, then enforces the route's `minRole`. */
export function authenticateHook(auth: AuthService) {
  return async (request: FastifyRequest): Promise<void> => {
    const minRole = request.routeOptions.config.minRole;
    let authenticated;
    try {
      authenticated = await auth.authenticate({
        authorization: request.headers.authorization,
        sessionCookie: request.cookies[SESSION_COOKIE],
      });
    } catch (error) {
      // A stale token must not lock anyone out of the public routes (status, login).
      if (minRole !== undefined) throw error;
    }
    request.user = authenticated?.user ?? null;
    request.authVia = authenticated?.via ?? null;
    if (minRole === undefined) return;
    if (!request.user) throw appError('NOT_LOGGED_IN');
    if (request.user.role < minRole) throw appError('FORBIDDEN');
  };
}

/**
 * Browsers attach the session cookie to cross-site requests; a request that changes something and
 * did not come with a bearer token must come from our own origin. Browsers send Sec-Fetch-Site and
 * Origin on such requests; clients without either (curl, scripts) are not browsers and carry no
 * ambient cookie by accident.
 */
export function crossSiteGuard(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  // NewAPI's clients log out and mint access tokens with GET; those GETs are guarded like writes.
  const changesState = !SAFE_METHODS.has(request.method) || request.routeOptions.config.changesState === true;
  if (!changesState || request.authVia === 'token') return done();
  assertSameSite(request);
  done();
}

function assertSameSite(request: FastifyRequest): void {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined) {
    if (fetchSite === 'same-origin' || fetchSite === 'none') return;
    throw appError('CROSS_SITE_REQUEST');
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw appError('CROSS_SITE_REQUEST');
  }
  if (withoutDefaultPort(originHost) !== withoutDefaultPort(request.host)) throw appError('CROSS_SITE_REQUEST');
}

/** `host:80` and `host` are the same origin host for http, as `host:443` and `host` are for https. */
function withoutDefaultPort(host: string): string {
  return host.toLowerCase().replace(/:(80|443)$/, '');
}

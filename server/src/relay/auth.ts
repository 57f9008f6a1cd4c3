import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { extractClientKey, type ClientKey } from '../domain/header-rules.js';
import type { ErrorFormat } from '../domain/relay-endpoints.js';
import { tokenAllowsIp, tokenProblem, type RelayToken } from '../domain/relay-tokens.js';
import type { RelayDeps } from './context.js';
import { relayErrorBody, relayErrors, type RelayError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    relayAuth: { token: RelayToken; clientKey: ClientKey } | null;
  }
}

export function errorFormatOf(url: string): ErrorFormat {
  return url.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}

export function replyRelayError(reply: FastifyReply, format: ErrorFormat, error: RelayError): FastifyReply {
  return reply.status(error.status).type('application/json').send(relayErrorBody(format, error));
}

/**
 * Runs before the body is read, so a request without a valid key costs nothing: the key from the
 * snapshot, its state, its owner and its IP allow-list. No database is touched. Callback style,
 * not async: nothing here waits, and a promise per request is not free.
 */
export function relayAuthHook(deps: RelayDeps) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const format = errorFormatOf(request.url);
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const clientKey = extractClientKey(request.headers, query);
    // A hook that answers does not call done: the request goes no further.
    if (!clientKey) return void replyRelayError(reply, format, relayErrors.missingKey());
    const token = deps.tokens().get(clientKey.key);
    const problem = tokenProblem(token, deps.now());
    if (problem || !token)
      return void replyRelayError(reply, format, relayErrors.invalidKey(problem ?? 'invalid API key'));
    if (!tokenAllowsIp(token, request.ip)) {
      return void replyRelayError(reply, format, relayErrors.ipNotAllowed(request.ip));
    }
    request.relayAuth = { token, clientKey };
    done();
  };
}

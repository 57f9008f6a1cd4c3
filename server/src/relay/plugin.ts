import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { modelFromJson, modelFromMultipart, type ModelLookup } from '../domain/model-extract.js';
import { RELAY_ENDPOINTS, modelFromGeminiPath, type RelayEndpoint } from '../domain/relay-endpoints.js';
import { tokenAllowsModel } from '../domain/relay-tokens.js';
import { errorFormatOf, relayAuthHook, replyRelayError } from './auth.js';
import type { RelayDeps, RelayRequest } from './context.js';
import { relayErrors } from './errors.js';
import { registerInfoEndpoints, type InfoDeps } from './info.js';
import { lazyChildLogger } from './lazy-logger.js';
import { proxyRequest } from './proxy.js';
import { newRequestId } from './request-id.js';
import { sendRelayError } from './respond.js';

/** The relay: every /v1 and /v1beta endpoint the seed names, plus the OpenAI billing shapes. */
export async function registerRelay(app: FastifyInstance, deps: RelayDeps & InfoDeps): Promise<void> {
  await app.register((relay, _options, done) => {
    // Bodies are bytes to pass on unchanged, whatever their type.
    relay.removeAllContentTypeParsers();
    relay.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.config.bodyLimitBytes }, (_req, body, done) =>
      done(null, body),
    );
    relay.decorateRequest('relayAuth', null);
    relay.addHook('onRequest', relayAuthHook(deps));
    relay.setErrorHandler((error: FastifyError, request, reply) => {
      const format = errorFormatOf(request.url);
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return replyRelayError(reply, format, relayErrors.tooLarge(deps.config.bodyLimitBytes));
      }
      if (error.statusCode !== undefined && error.statusCode < 500) {
        return replyRelayError(reply, format, relayErrors.badRequest(error.message));
      }
      request.log.error({ err: error }, 'relay request failed');
      return replyRelayError(reply, format, relayErrors.internal());
    });
    for (const endpoint of RELAY_ENDPOINTS) {
      relay.route({
        method: endpoint.method,
        url: endpoint.path,
        bodyLimit: deps.config.bodyLimitBytes,
        childLoggerFactory: lazyChildLogger,
        handler: (request, reply) => handleRelay(deps, endpoint, request, reply),
      });
    }
    registerInfoEndpoints(relay, deps);
    done();
  });
}

async function handleRelay(deps: RelayDeps, endpoint: RelayEndpoint, request: FastifyRequest, reply: FastifyReply) {
  const auth = request.relayAuth;
  if (!auth) throw new Error('relay route reached without authentication');
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const [path = '', query = ''] = splitUrl(request.raw.url ?? request.url);
  const lookup = findModel(endpoint, path, body, request.headers['content-type'] ?? '');
  if ('invalid' in lookup) return replyRelayError(reply, endpoint.format, relayErrors.badRequest(lookup.invalid));
  const model = lookup.model ?? endpoint.defaultModel;
  if (!model) return replyRelayError(reply, endpoint.format, relayErrors.badRequest('model is required'));
  if (!tokenAllowsModel(auth.token, model)) {
    return replyRelayError(reply, endpoint.format, relayErrors.modelNotAllowed(model));
  }
  const relayRequest: RelayRequest = {
    requestId: newRequestId(),
    endpoint,
    method: request.method,
    path,
    query,
    rawHeaders: request.raw.rawHeaders,
    body,
    clientKey: auth.clientKey,
    token: auth.token,
    model,
    clientIp: request.ip,
    userAgent: request.headers['user-agent'] ?? '',
    startedAt: performance.now(),
    createdAt: deps.now(),
  };
  reply.hijack();
  deps.inFlight.requests(1);
  try {
    await proxyRequest(deps, relayRequest, reply.raw);
  } catch (error) {
    // Past hijack Fastify's error handler cannot answer; a bug here must still end the request.
    request.log.error({ err: error }, 'relay request crashed');
    if (!reply.raw.headersSent) sendRelayError(reply.raw, endpoint.format, relayErrors.internal());
    else reply.raw.destroy();
  } finally {
    deps.inFlight.requests(-1);
  }
}

function findModel(endpoint: RelayEndpoint, path: string, body: Buffer, contentType: string): ModelLookup {
  if (endpoint.model === 'gemini-path') return { model: modelFromGeminiPath(path) };
  if (endpoint.model === 'multipart' || /multipart\/form-data/i.test(contentType)) {
    return /multipart\/form-data/i.test(contentType) ? modelFromMultipart(body, contentType) : modelFromJson(body);
  }
  return modelFromJson(body);
}

function splitUrl(url: string): [string, string] {
  const index = url.indexOf('?');
  return index === -1 ? [url, ''] : [url.slice(0, index), url.slice(index + 1)];
}

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths that belong to the API or the relay and must never fall through to the panel's page. */
const NOT_PANEL = /^\/(api|v1|v1beta|metrics|healthz|readyz|dashboard\/billing)(\/|$|\?)/;

/**
 * Serves the built panel: hashed assets cached for a year, index.html never cached, and any other
 * GET answered with index.html so the panel's deep links survive a reload.
 */
export async function registerWeb(app: FastifyInstance, distDir = DEFAULT_WEB_DIST): Promise<void> {
  const indexPath = path.join(distDir, 'index.html');
  const indexHtml = existsSync(indexPath) ? readFileSync(indexPath) : placeholderPage();
  if (existsSync(distDir)) {
    await app.register(fastifyStatic, {
      root: distDir,
      index: false,
      wildcard: false,
      setHeaders: (res, filePath) => {
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  const sendIndex = (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
  app.get('/', sendIndex);
  app.setNotFoundHandler((request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound(request, reply);
    if (NOT_PANEL.test(request.url)) return notFound(request, reply);
    return sendIndex(request, reply);
  });
}

/** NewAPI's answer for an unknown path, in the OpenAI error shape clients parse. */
function notFound(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0] ?? '';
  return reply.status(404).send({
    error: { message: `Invalid URL (${request.method} ${path})`, type: 'invalid_request_error', code: 'not_found' },
  });
}

function placeholderPage(): Buffer {
  return Buffer.from(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Gateway Aggregator</title></head>
<body><h1>Gateway Aggregator</h1><p>The admin panel has not been built. Run <code>npm run build</code>.</p></body></html>
`);
}

import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { Metrics } from '../metrics/metrics.js';

export interface OpsDeps {
  metrics: Metrics;
  /** The scrape's text: this process's registry, or a whole host's when it is a worker. */
  metricsText: () => Promise<string>;
  metricsConfig: Config['metrics'];
  ready: () => Promise<boolean>;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Probes for orchestrators and the Prometheus scrape endpoint. */
export function registerOpsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  app.get('/healthz', () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const ready = await deps.ready().catch(() => false);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });

  if (!deps.metricsConfig.enabled) return;
  app.get('/metrics', async (request, reply) => {
    const token = deps.metricsConfig.token;
    if (token !== undefined) {
      const given = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      if (!sameSecret(given, token)) {
        return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'a metrics token is required' });
      }
    }
    return reply.type(deps.metrics.registry.contentType).send(await deps.metricsText());
  });
}

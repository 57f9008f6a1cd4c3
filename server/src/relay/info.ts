import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { tokenAllowsModel, type RelayToken } from '../domain/relay-tokens.js';
import type { RelayDeps } from './context.js';

export interface InfoDeps {
  /** USD recorded for a token, optionally between two Unix times. */
  costOf: (tokenId: number, from?: number, to?: number) => Promise<number>;
}

/** What NewAPI reports for a model's creation time (newapi-upstream.md §8). */
const MODEL_CREATED = 1626777600;
/** NewAPI's figure for "no limit". */
const UNLIMITED_USD = 100_000_000;

function ownerOf(model: string): string {
  if (/^(gpt|o\d|text-|dall-e|whisper|tts|chatgpt)/i.test(model)) return 'openai';
  if (/^claude/i.test(model)) return 'anthropic';
  if (/^gemini|^gemma|^text-embedding-00/i.test(model)) return 'google';
  return 'custom';
}

function modelsFor(deps: RelayDeps, token: RelayToken): string[] {
  return deps.routes().models.filter((model) => tokenAllowsModel(token, model));
}

const usageQuery = z.object({
  start_date: z.iso.date().optional(),
  end_date: z.iso.date().optional(),
});

/** The model lists and the OpenAI billing shapes, answered from the snapshot and the usage log. */
export function registerInfoEndpoints(app: FastifyInstance, deps: RelayDeps & InfoDeps): void {
  const tokenOf = (request: { relayAuth: { token: RelayToken } | null }) => {
    if (!request.relayAuth) throw new Error('info route reached without authentication');
    return request.relayAuth.token;
  };

  app.get('/v1/models', (request) => ({
    object: 'list',
    data: modelsFor(deps, tokenOf(request)).map((id) => ({
      id,
      object: 'model',
      created: MODEL_CREATED,
      owned_by: ownerOf(id),
    })),
  }));

  app.get<{ Params: { model: string } }>('/v1/models/:model', (request, reply) => {
    const { model } = request.params;
    if (!modelsFor(deps, tokenOf(request)).includes(model)) {
      return reply.status(404).send({
        error: {
          message: `The model '${model}' does not exist`,
          type: 'invalid_request_error',
          param: 'model',
          code: 'model_not_found',
        },
      });
    }
    return { id: model, object: 'model', created: MODEL_CREATED, owned_by: ownerOf(model) };
  });

  app.get('/v1beta/models', (request) => ({
    models: modelsFor(deps, tokenOf(request)).map((id) => ({
      name: `models/${id}`,
      displayName: id,
      supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
    })),
    nextPageToken: null,
  }));

  for (const prefix of ['', '/v1']) {
    app.get(`${prefix}/dashboard/billing/subscription`, (request) => {
      const token = tokenOf(request);
      return {
        object: 'billing_subscription',
        has_payment_method: true,
        soft_limit_usd: UNLIMITED_USD,
        hard_limit_usd: UNLIMITED_USD,
        system_hard_limit_usd: UNLIMITED_USD,
        access_until: token.expiredTime === -1 ? 0 : token.expiredTime,
      };
    });

    app.get(`${prefix}/dashboard/billing/usage`, async (request, reply) => {
      const parsed = usageQuery.safeParse(request.query);
      if (!parsed.success) {
        return reply.status(400).send({
          error: {
            message: 'start_date and end_date must be dates (YYYY-MM-DD)',
            type: 'invalid_request_error',
            code: 'invalid_request',
          },
        });
      }
      const toUnix = (date: string | undefined, endOfDay: boolean) =>
        date === undefined ? undefined : Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + (endOfDay ? 86_400 : 0);
      const usd = await deps.costOf(
        tokenOf(request).id,
        toUnix(parsed.data.start_date, false),
        toUnix(parsed.data.end_date, true),
      );
      // OpenAI reports usage in cents.
      return { object: 'list', total_usage: Math.round(usd * 100 * 1e4) / 1e4 };
    });
  }
}

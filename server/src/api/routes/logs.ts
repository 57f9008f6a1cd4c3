import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Role } from '../../domain/roles.js';
import type { LogQuery } from '../../services/logs.js';
import { currentUser, type ApiDeps } from '../context.js';
import { ok } from '../envelope.js';
import { MAX_ID, parseInput, parsePage } from '../validation.js';

/** An empty query parameter (`?model=`, as panels send for "any") means the filter is off. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const unixTime = z.coerce
  .number({ error: 'must be a Unix time in seconds' })
  .int('must be a Unix time in seconds')
  .min(0, 'must be a Unix time in seconds');
const positiveId = z.coerce
  .number({ error: 'must be a positive integer' })
  .int('must be a positive integer')
  .positive('must be a positive integer')
  .max(MAX_ID, `must be at most ${MAX_ID}`);

const logQueryFields = {
  start_time: optional(unixTime),
  end_time: optional(unixTime),
  model: optional(z.string().max(191, 'must be at most 191 characters')),
  provider_id: optional(positiveId),
  provider: optional(z.string().max(128, 'must be at most 128 characters')),
  token_id: optional(positiveId),
  status: optional(z.enum(['success', 'error', 'all'], { error: 'must be success, error or all' })),
  stream: optional(z.enum(['true', 'false'], { error: 'must be true or false' })),
  request_id: optional(z.string().max(64, 'must be at most 64 characters')),
};

type LogQueryParams = z.output<z.ZodObject<typeof logQueryFields>> & { user_id?: number };

function withChecks<S extends z.ZodType<LogQueryParams>>(schema: S) {
  return schema
    .refine((q) => q.start_time === undefined || q.end_time === undefined || q.end_time > q.start_time, {
      message: 'must be after start_time',
      path: ['end_time'],
    })
    .refine((q) => q.provider === undefined || q.provider_id === undefined, {
      message: 'give provider (a name) or provider_id, not both',
      path: ['provider'],
    });
}

const adminLogQuery = withChecks(z.object({ ...logQueryFields, user_id: optional(positiveId) }));
const selfLogQuery = withChecks(
  z.object({
    ...logQueryFields,
    user_id: optional(z.never({ error: 'is not accepted here; /api/log/self shows only your own logs' })),
  }),
);

function toLogQuery(params: LogQueryParams): LogQuery {
  return {
    userId: params.user_id,
    startTime: params.start_time,
    endTime: params.end_time,
    model: params.model,
    providerId: params.provider_id,
    provider: params.provider,
    tokenId: params.token_id,
    status: params.status === 'success' ? 1 : params.status === 'error' ? 0 : undefined,
    stream: params.stream === undefined ? undefined : params.stream === 'true' ? 1 : 0,
    requestId: params.request_id,
  };
}

/**
 * The call log: one item per client request (the attempt that decided it, with the failed attempts
 * before it), a summary over the same filter, and a CSV export. A user sees only their own.
 */
export function logRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const user = { config: { minRole: Role.user } };
  const admin = { config: { minRole: Role.admin } };
  const selfQuery = (request: FastifyRequest): LogQuery => ({
    ...toLogQuery(parseInput(selfLogQuery, request.query)),
    userId: currentUser(request).id,
  });
  const adminQuery = (request: FastifyRequest): LogQuery => toLogQuery(parseInput(adminLogQuery, request.query));

  const list = async (query: LogQuery, rawQuery: unknown) => {
    const { page, pageSize, offset } = parsePage(rawQuery);
    const { items, total, summary } = await deps.logs.page(query, offset, pageSize);
    return ok({ items, total, page, page_size: pageSize, summary });
  };

  const exportCsv = async (query: LogQuery, reply: FastifyReply) => {
    const { truncated, chunks } = await deps.logs.export(query);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="usage-logs.csv"')
      .header('cache-control', 'no-store');
    if (truncated) void reply.header('x-truncated', 'true');
    return reply.send(Readable.from(chunks, { objectMode: false }));
  };

  app.get('/log/self', user, async (request) => list(selfQuery(request), request.query));
  app.get('/log/', admin, async (request) => list(adminQuery(request), request.query));
  app.get('/log/self/export', user, async (request, reply) => exportCsv(selfQuery(request), reply));
  app.get('/log/export', admin, async (request, reply) => exportCsv(adminQuery(request), reply));
}

import type { FastifyBaseLogger } from 'fastify';
import { appError } from '../errors/catalogue.js';
import type { ProviderRow, ProvidersRepo } from '../repos/providers.js';
import { UpstreamError } from '../upstream/errors.js';
import type { NewApiClient } from '../upstream/newapi-client.js';
import { accountOf } from './sync/sync-service.js';

export type CheckinStatus = 'done' | 'already' | 'disabled' | 'unsupported' | 'failed';

export interface CheckinResult {
  status: CheckinStatus;
  message: string;
  quota_awarded?: number;
  at: number;
}

export interface CheckinDeps {
  client: NewApiClient;
  providers: ProvidersRepo;
  now: () => number;
  logger: FastifyBaseLogger;
  /** Told of every check-in outcome, for the metrics. */
  onResult?: (providerName: string, result: CheckinResult) => void;
}

/** Outcomes after which the provider is not asked again the same day. */
const SETTLED_FOR_TODAY: readonly CheckinStatus[] = ['done', 'already', 'disabled', 'unsupported'];

/**
 * Daily check-in. Success and "already checked in" both mean done for today; "not enabled" (or an
 * upstream too old to have check-in) is recorded and not asked again that day; a failure is
 * recorded and retried on the next run.
 */
export class CheckinService {
  private readonly running = new Map<number, Promise<CheckinResult>>();

  constructor(private readonly deps: CheckinDeps) {}

  checkin(providerId: number): Promise<CheckinResult> {
    const running = this.running.get(providerId);
    if (running) return running;
    const started = this.run(providerId).finally(() => this.running.delete(providerId));
    this.running.set(providerId, started);
    return started;
  }

  /** Checks in every enabled provider that wants it and has not settled today. */
  async runDue(): Promise<number> {
    const today = localDate(this.deps.now());
    const due = (await this.deps.providers.listEnabled()).filter(
      (provider) => provider.checkin_enabled === 1 && localDate(provider.last_checkin_at) !== today,
    );
    for (const provider of due) {
      try {
        await this.checkin(provider.id);
      } catch (error) {
        this.deps.logger.error({ err: error, providerId: provider.id }, 'check-in failed');
      }
    }
    return due.length;
  }

  private async run(providerId: number): Promise<CheckinResult> {
    const provider = await this.deps.providers.findById(providerId);
    if (!provider) throw appError('NOT_FOUND', `provider ${providerId} not found`);
    const result = await this.attempt(provider);
    const settled = SETTLED_FOR_TODAY.includes(result.status);
    await this.deps.providers.update(providerId, {
      last_checkin_result: JSON.stringify(result),
      ...(settled ? { last_checkin_at: result.at } : {}),
    });
    if (!settled) this.deps.logger.warn({ providerId, message: result.message }, 'check-in failed');
    this.deps.onResult?.(provider.name, result);
    return result;
  }

  private async attempt(provider: ProviderRow): Promise<CheckinResult> {
    const at = this.deps.now();
    try {
      const outcome = await this.deps.client.checkin(accountOf(provider));
      if (outcome.kind === 'done')
        return { status: 'done', message: outcome.message, quota_awarded: outcome.quotaAwarded, at };
      return { status: outcome.kind, message: outcome.message, at };
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404) {
        return { status: 'unsupported', message: 'this upstream has no check-in (HTTP 404)', at };
      }
      const message = error instanceof UpstreamError ? error.message : 'internal error';
      if (!(error instanceof UpstreamError)) this.deps.logger.error({ err: error }, 'check-in crashed');
      return { status: 'failed', message, at };
    }
  }
}

/** The server's local calendar date, as NewAPI counts "today". */
export function localDate(unixSeconds: number): string {
  if (!unixSeconds) return '';
  const date = new Date(unixSeconds * 1000);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

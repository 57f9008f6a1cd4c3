import type { FastifyBaseLogger } from 'fastify';
import { appError } from '../../errors/catalogue.js';
import type { ProviderRow, ProvidersRepo } from '../../repos/providers.js';
import type { NewApiClient, UpstreamAccount } from '../../upstream/newapi-client.js';
import type { ModelPricingsRepo } from '../../repos/model-pricings.js';
import type { ProviderTokensRepo } from '../../repos/provider-tokens.js';
import { syncBalance } from './balance-step.js';
import { syncPricing } from './pricing-step.js';
import { runStep, type SyncReport } from './report.js';
import type { RouteBuilder } from './route-builder.js';
import { syncTokens } from './tokens-step.js';

export interface SyncDeps {
  client: NewApiClient;
  providers: ProvidersRepo;
  tokens: ProviderTokensRepo;
  pricings: ModelPricingsRepo;
  routeBuilder: RouteBuilder;
  /** Called after every sync so the relay's route table follows. */
  onRoutesChanged: () => Promise<void>;
  now: () => number;
  logger: FastifyBaseLogger;
  /** Told of every finished sync, for the metrics. */
  onReport?: (providerName: string, report: SyncReport) => void;
}

export function accountOf(provider: ProviderRow): UpstreamAccount {
  return { baseUrl: provider.base_url, accessToken: provider.access_token, userId: provider.user_id };
}

/**
 * Syncs providers: pricing, tokens, balance, then routes. One sync per provider at a time; a
 * second request while one runs gets the running one's report.
 */
export class SyncService {
  private readonly running = new Map<number, Promise<SyncReport>>();

  constructor(private readonly deps: SyncDeps) {}

  sync(providerId: number): Promise<SyncReport> {
    const running = this.running.get(providerId);
    if (running) return running;
    const started = this.run(providerId).finally(() => this.running.delete(providerId));
    this.running.set(providerId, started);
    return started;
  }

  /** Every enabled provider, `concurrency` at a time; one provider's failure does not stop the rest. */
  async syncAll(concurrency: number): Promise<SyncReport[]> {
    const queue = (await this.deps.providers.listEnabled()).map((provider) => provider.id);
    const reports: SyncReport[] = [];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          reports.push(await this.sync(id));
        } catch (error) {
          this.deps.logger.error({ err: error, providerId: id }, 'provider sync failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    return reports;
  }

  isRunning(providerId: number): boolean {
    return this.running.has(providerId);
  }

  private async run(providerId: number): Promise<SyncReport> {
    const provider = await this.deps.providers.findById(providerId);
    if (!provider) throw appError('NOT_FOUND', `provider ${providerId} not found`);
    const startedAt = this.deps.now();
    const account = accountOf(provider);
    const onUnexpected = (error: unknown) =>
      this.deps.logger.error({ err: error, providerId }, 'sync step failed unexpectedly');
    const steps = [
      await runStep('pricing', (counts) => syncPricing(this.deps, provider, account, counts), onUnexpected),
      await runStep('tokens', (counts) => syncTokens(this.deps, provider, account, counts), onUnexpected),
      await runStep('balance', (counts) => syncBalance(this.deps, provider, account, counts), onUnexpected),
    ];
    // Routes come from what is stored, so they are rebuilt even when a step above failed.
    const fresh = (await this.deps.providers.findById(providerId)) ?? provider;
    steps.push(
      await runStep(
        'routes',
        async (counts) => {
          Object.assign(counts, await this.deps.routeBuilder.rebuild(fresh));
        },
        onUnexpected,
      ),
    );
    const report: SyncReport = {
      provider_id: providerId,
      ok: steps.every((step) => step.ok),
      started_at: startedAt,
      finished_at: this.deps.now(),
      steps,
    };
    for (const step of steps.filter((s) => !s.ok)) {
      this.deps.logger.warn({ providerId, step: step.step, error: step.error }, 'sync step failed');
    }
    await this.deps.providers.update(providerId, {
      last_synced_at: report.finished_at,
      last_sync_result: JSON.stringify(report),
    });
    await this.deps.onRoutesChanged();
    this.deps.onReport?.(provider.name, report);
    return report;
  }
}

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
  /**
   * How long a sync that changed routes may wait for the other syncs running with it, so that they
   * share one route table rebuild: this (default 1 s) or four times the last rebuild, whichever is
   * longer, so rebuilds take at most about a fifth of a long run of syncs. A sync running alone
   * rebuilds at once.
   */
  rebuildBatchMs?: number;
}

/** A sync in progress: `collected` settles once its steps are done (or it failed), `report` once it is published. */
interface Run {
  collected: Promise<void>;
  report: Promise<SyncReport>;
}

/** A route table rebuild that syncs which finished together wait for. */
interface RebuildBatch {
  done: Promise<void>;
  fire: () => void;
  /** Armed by the first sync outside a pass that waits for this rebuild. */
  timer: NodeJS.Timeout | undefined;
}

export function accountOf(provider: ProviderRow): UpstreamAccount {
  return { baseUrl: provider.base_url, accessToken: provider.access_token, userId: provider.user_id };
}

/**
 * Syncs providers: pricing, tokens, balance, then routes. One sync per provider at a time; a
 * second request while one runs gets the running one's report.
 *
 * A sync answers once the relay's route table holds what it wrote. The table is rebuilt from every
 * route (500 000 with 100 providers of 500 models and 10 tokens: seconds of work that hold up the
 * relay), so a sync that changed nothing the table reads skips the rebuild, and syncs that run
 * together share one: a finished sync waits while others are still running, and the last to finish
 * starts it. A scheduled pass (`syncAll`) rebuilds once, at its end; syncs started over the API wait
 * at most `rebuildBatchMs` (or four times the last rebuild) for the others.
 */
export class SyncService {
  private readonly running = new Map<number, Run>();
  /** Syncs that have started and not finished their steps. */
  private collecting = 0;
  private batch: RebuildBatch | undefined;
  private lastRebuildMs = 0;

  constructor(private readonly deps: SyncDeps) {}

  sync(providerId: number): Promise<SyncReport> {
    return this.begin(providerId).report;
  }

  /**
   * Every enabled provider, `concurrency` at a time; one provider's failure does not stop the rest.
   * A worker moves on once a sync's steps are done: the route table rebuilds run meanwhile, shared.
   */
  async syncAll(concurrency: number): Promise<SyncReport[]> {
    const queue = (await this.deps.providers.listEnabled()).map((provider) => provider.id);
    const reports: SyncReport[] = [];
    const published: Array<Promise<void>> = [];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const providerId = id;
        const run = this.begin(providerId, true);
        published.push(
          run.report.then(
            (report) => void reports.push(report),
            (error: unknown) => this.deps.logger.error({ err: error, providerId }, 'provider sync failed'),
          ),
        );
        await run.collected;
      }
    };
    // The pass counts as a running sync until its last provider is done: no rebuild starts before.
    this.collecting++;
    try {
      await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    } finally {
      this.collecting--;
      if (this.collecting === 0) this.fireBatch();
    }
    await Promise.all(published);
    return reports;
  }

  isRunning(providerId: number): boolean {
    return this.running.has(providerId);
  }

  private begin(providerId: number, inPass = false): Run {
    const running = this.running.get(providerId);
    if (running) return running;
    let collected!: () => void;
    const collectedPromise = new Promise<void>((resolve) => (collected = resolve));
    const report = this.run(providerId, collected, inPass).finally(() => this.running.delete(providerId));
    // A sync that fails before its steps end (its provider is gone) still lets syncAll move on.
    void report.catch(() => undefined).finally(collected);
    const run: Run = { collected: collectedPromise, report };
    this.running.set(providerId, run);
    return run;
  }

  private async run(providerId: number, collected: () => void, inPass: boolean): Promise<SyncReport> {
    this.collecting++;
    let provider: ProviderRow;
    let report: SyncReport;
    let routesChanged = false;
    let rebuilt: Promise<void> | undefined;
    try {
      const found = await this.deps.providers.findById(providerId);
      if (!found) throw appError('NOT_FOUND', `provider ${providerId} not found`);
      provider = found;
      const startedAt = this.deps.now();
      const account = accountOf(provider);
      const onUnexpected = (error: unknown) =>
        this.deps.logger.error({ err: error, providerId }, 'sync step failed unexpectedly');
      const step = (changed: boolean) => void (routesChanged ||= changed);
      const steps = [
        await runStep('pricing', async (c) => step(await syncPricing(this.deps, provider, account, c)), onUnexpected),
        await runStep('tokens', async (c) => step(await syncTokens(this.deps, provider, account, c)), onUnexpected),
        await runStep('balance', async (c) => step(await syncBalance(this.deps, provider, account, c)), onUnexpected),
      ];
      // Routes come from what is stored, so they are rebuilt even when a step above failed.
      const fresh = (await this.deps.providers.findById(providerId)) ?? provider;
      steps.push(
        await runStep(
          'routes',
          async (counts) => {
            const built = await this.deps.routeBuilder.rebuild(fresh);
            Object.assign(counts, built);
            step(built.added + built.updated + built.removed > 0);
          },
          onUnexpected,
        ),
      );
      report = {
        provider_id: providerId,
        ok: steps.every((s) => s.ok),
        started_at: startedAt,
        finished_at: this.deps.now(),
        steps,
      };
      for (const failed of steps.filter((s) => !s.ok)) {
        this.deps.logger.warn({ providerId, step: failed.step, error: failed.error }, 'sync step failed');
      }
      // A failed step may have written part of its changes: the table follows whatever is stored.
      routesChanged ||= !report.ok;
      await this.deps.providers.update(providerId, {
        last_synced_at: report.finished_at,
        last_sync_result: JSON.stringify(report),
      });
    } finally {
      this.collecting--;
      collected();
      // The last sync of a batch to finish starts its rebuild, whether or not it changed routes itself; one that
      // changed routes joins the batch first, or it would start a second rebuild right after the shared one.
      if (routesChanged) {
        rebuilt = this.routesChanged(inPass);
        void rebuilt.catch(() => undefined); // awaited below, unless this sync failed: then its caller has the error
      } else if (this.collecting === 0) {
        this.fireBatch();
      }
    }
    await rebuilt;
    this.deps.onReport?.(provider.name, report);
    return report;
  }

  /**
   * Joins the pending rebuild (or opens one); it starts once no other sync is still running, or, for
   * a sync outside a pass, once it has waited long enough.
   */
  private routesChanged(inPass: boolean): Promise<void> {
    const batch = (this.batch ??= this.openBatch());
    if (!inPass && !batch.timer) {
      const waitMs = Math.max(this.deps.rebuildBatchMs ?? 1000, 4 * this.lastRebuildMs);
      batch.timer = setTimeout(() => this.fireBatch(), waitMs).unref();
    }
    if (this.collecting === 0) this.fireBatch();
    return batch.done;
  }

  private openBatch(): RebuildBatch {
    let fire!: () => void;
    const done = new Promise<void>((resolve, reject) => {
      fire = () => {
        const started = performance.now();
        this.deps.onRoutesChanged().then(() => {
          this.lastRebuildMs = performance.now() - started;
          resolve();
        }, reject);
      };
    });
    return { done, fire, timer: undefined };
  }

  private fireBatch(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    clearTimeout(batch.timer);
    batch.fire();
  }
}

import type { ModelPricingsRepo, PricingChangeSet } from '../../repos/model-pricings.js';
import type { ProviderRow, ProvidersRepo } from '../../repos/providers.js';
import type { NewApiClient, PricingItem, UpstreamAccount } from '../../upstream/newapi-client.js';
import { StepError } from './report.js';

export interface PricingStepDeps {
  client: NewApiClient;
  providers: ProvidersRepo;
  pricings: ModelPricingsRepo;
  now: () => number;
}

/**
 * Step 1: the upstream's pricing replaces ours, unless it is empty or unreadable. Resolves whether anything the
 * relay's route table reads changed (a price, a model, the group ratios), so an unchanged sync can skip its rebuild.
 */
export async function syncPricing(
  deps: PricingStepDeps,
  provider: ProviderRow,
  account: UpstreamAccount,
  counts: Record<string, number>,
): Promise<boolean> {
  const pricing = await deps.client.pricing(account);
  const existing = await deps.pricings.listByProvider(provider.id);
  if (pricing.models.length === 0) {
    throw new StepError(`upstream pricing lists no models; keeping the ${existing.length} known`);
  }
  const now = deps.now();
  const byName = new Map(existing.map((row) => [row.model_name, row]));
  const seen = new Set<string>();
  const changes: PricingChangeSet = { insert: [], update: [], touch: [], delete: [], syncedAt: now };
  for (const item of pricing.models) {
    if (seen.has(item.model_name)) continue;
    seen.add(item.model_name);
    const values = pricingValues(item, now);
    const current = byName.get(item.model_name);
    if (!current) {
      changes.insert.push({ provider_id: provider.id, model_name: item.model_name, ...values });
    } else if (differs(current, values)) {
      changes.update.push({ id: current.id, values });
    } else if (current.last_synced_at !== now) {
      changes.touch.push(current.id);
    }
  }
  changes.delete = existing.filter((row) => !seen.has(row.model_name)).map((row) => row.id);
  await deps.pricings.applySync(changes);
  const groupRatios = JSON.stringify(pricing.groupRatio);
  const autoGroups = JSON.stringify(pricing.autoGroups);
  await deps.providers.update(provider.id, { group_ratios: groupRatios, auto_groups: autoGroups });
  Object.assign(counts, {
    models: seen.size,
    added: changes.insert.length,
    updated: changes.update.length,
    removed: changes.delete.length,
  });
  return (
    changes.insert.length + changes.update.length + changes.delete.length > 0 ||
    groupRatios !== provider.group_ratios ||
    autoGroups !== provider.auto_groups
  );
}

function pricingValues(item: PricingItem, now: number) {
  return {
    quota_type: item.quota_type === 1 ? 1 : 0,
    model_ratio: item.model_ratio,
    completion_ratio: item.completion_ratio,
    model_price: item.model_price,
    enable_groups: JSON.stringify([...new Set(item.enable_groups)].sort()),
    supported_endpoint_types: JSON.stringify(item.supported_endpoint_types),
    last_synced_at: now,
  };
}

function differs(current: Record<string, unknown>, values: ReturnType<typeof pricingValues>): boolean {
  return (Object.keys(values) as Array<keyof typeof values>).some(
    (key) => key !== 'last_synced_at' && current[key] !== values[key],
  );
}

import type { ModelPricingsRepo, NewModelPricingRow } from '../../repos/model-pricings.js';
import type { ProviderRow, ProvidersRepo } from '../../repos/providers.js';
import type { NewApiClient, PricingItem, UpstreamAccount } from '../../upstream/newapi-client.js';
import { StepError } from './report.js';

export interface PricingStepDeps {
  client: NewApiClient;
  providers: ProvidersRepo;
  pricings: ModelPricingsRepo;
  now: () => number;
}

/** Step 1: the upstream's pricing replaces ours, unless it is empty or unreadable. */
export async function syncPricing(
  deps: PricingStepDeps,
  provider: ProviderRow,
  account: UpstreamAccount,
  counts: Record<string, number>,
): Promise<void> {
  const pricing = await deps.client.pricing(account);
  const existing = await deps.pricings.listByProvider(provider.id);
  if (pricing.models.length === 0) {
    throw new StepError(`upstream pricing lists no models; keeping the ${existing.length} known`);
  }
  const now = deps.now();
  const byName = new Map(existing.map((row) => [row.model_name, row]));
  const seen = new Set<string>();
  const inserts: NewModelPricingRow[] = [];
  let updated = 0;
  for (const item of pricing.models) {
    if (seen.has(item.model_name)) continue;
    seen.add(item.model_name);
    const values = pricingValues(item, now);
    const current = byName.get(item.model_name);
    if (!current) {
      inserts.push({ provider_id: provider.id, model_name: item.model_name, ...values });
    } else if (differs(current, values)) {
      await deps.pricings.update(current.id, values);
      updated++;
    } else if (current.last_synced_at !== now) {
      await deps.pricings.update(current.id, { last_synced_at: now });
    }
  }
  await deps.pricings.insertMany(inserts);
  const gone = existing.filter((row) => !seen.has(row.model_name)).map((row) => row.id);
  await deps.pricings.deleteByIds(gone);
  await deps.providers.update(provider.id, {
    group_ratios: JSON.stringify(pricing.groupRatio),
    auto_groups: JSON.stringify(pricing.autoGroups),
  });
  Object.assign(counts, { models: seen.size, added: inserts.length, updated, removed: gone.length });
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

import type { ProviderRow, ProvidersRepo } from '../../repos/providers.js';
import type { NewApiClient, UpstreamAccount } from '../../upstream/newapi-client.js';

/** NewAPI's default: 500 000 quota units per USD. */
export const DEFAULT_QUOTA_PER_UNIT = 500_000;

export interface BalanceStepDeps {
  client: NewApiClient;
  providers: ProvidersRepo;
  now: () => number;
}

/**
 * Step 3: the account's remaining quota in USD, and the user's group (tokens with no group use it).
 * Resolves whether the route table must follow: the group changed, or the account ran dry or was
 * topped up (the relay may skip depleted providers). A balance that merely moved changes nothing there.
 */
export async function syncBalance(
  deps: BalanceStepDeps,
  provider: ProviderRow,
  account: UpstreamAccount,
  counts: Record<string, number>,
): Promise<boolean> {
  const self = await deps.client.self(account);
  // /api/status is public and cheap; when it is down or silent, NewAPI's constant applies.
  const quotaPerUnit = await deps.client
    .status(account)
    .then((status) => status.quotaPerUnit ?? DEFAULT_QUOTA_PER_UNIT)
    .catch(() => DEFAULT_QUOTA_PER_UNIT);
  const balanceUsd = Math.round((self.quota / quotaPerUnit) * 1e6) / 1e6;
  await deps.providers.update(provider.id, {
    balance_usd: balanceUsd,
    balance_updated_at: deps.now(),
    user_group: self.group,
  });
  Object.assign(counts, { quota: self.quota, used_quota: self.usedQuota, quota_per_unit: quotaPerUnit });
  const wasDepleted = provider.balance_usd !== null && provider.balance_usd <= 0;
  return self.group !== provider.user_group || wasDepleted !== balanceUsd <= 0;
}

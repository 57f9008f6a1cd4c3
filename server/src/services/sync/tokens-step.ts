import { isMaskedKey, maskMatches, withSkPrefix } from '../../domain/keys.js';
import type { NewProviderTokenRow, ProviderTokenRow, ProviderTokensRepo } from '../../repos/provider-tokens.js';
import type { ProviderRow } from '../../repos/providers.js';
import type { NewApiClient, UpstreamAccount, UpstreamToken } from '../../upstream/newapi-client.js';
import { StepError } from './report.js';

export interface TokensStepDeps {
  client: NewApiClient;
  tokens: ProviderTokensRepo;
  now: () => number;
}

/**
 * Step 2: the upstream's tokens, every page. A masked key is revealed only when we do not already
 * hold the key behind the mask, at most once per token per sync. Tokens gone upstream are removed,
 * but an empty list is not believed: it would take every route away.
 */
export async function syncTokens(
  deps: TokensStepDeps,
  provider: ProviderRow,
  account: UpstreamAccount,
  counts: Record<string, number>,
): Promise<void> {
  const upstream = await deps.client.tokens(account);
  const existing = await deps.tokens.listByProvider(provider.id);
  if (upstream.length === 0 && existing.length > 0) {
    throw new StepError(`upstream lists no tokens; keeping the ${existing.length} known`);
  }
  const now = deps.now();
  const byUpstreamId = new Map(existing.map((row) => [row.upstream_token_id, row]));
  const inserts: NewProviderTokenRow[] = [];
  const revealFailures: string[] = [];
  let updated = 0;
  let revealed = 0;
  for (const token of upstream) {
    const current = byUpstreamId.get(token.id);
    const key = await resolveKey(deps, account, token, current, revealFailures);
    if (key.revealed) revealed++;
    const values = tokenValues(token, key.value ?? current?.sk_key ?? '', now);
    if (!current) {
      inserts.push({ provider_id: provider.id, upstream_token_id: token.id, created_at: now, ...values });
    } else {
      await deps.tokens.update(current.id, values);
      updated++;
    }
  }
  await deps.tokens.insertMany(inserts);
  const seen = new Set(upstream.map((token) => token.id));
  const gone = existing.filter((row) => !seen.has(row.upstream_token_id)).map((row) => row.id);
  await deps.tokens.deleteWithRoutes(gone);
  Object.assign(counts, { tokens: upstream.length, added: inserts.length, updated, removed: gone.length, revealed });
  if (revealFailures.length > 0) {
    counts.reveal_failed = revealFailures.length;
    throw new StepError(`could not reveal ${revealFailures.length} key(s): ${revealFailures.slice(0, 3).join('; ')}`);
  }
}

async function resolveKey(
  deps: TokensStepDeps,
  account: UpstreamAccount,
  token: UpstreamToken,
  current: ProviderTokenRow | undefined,
  failures: string[],
): Promise<{ value: string | undefined; revealed: boolean }> {
  if (!isMaskedKey(token.key)) return { value: token.key ? withSkPrefix(token.key) : undefined, revealed: false };
  if (current?.sk_key && maskMatches(token.key, current.sk_key)) return { value: current.sk_key, revealed: false };
  try {
    return { value: withSkPrefix(await deps.client.revealKey(account, token.id)), revealed: true };
  } catch (error) {
    failures.push(`token ${token.id}: ${(error as Error).message}`);
    return { value: undefined, revealed: false };
  }
}

function tokenValues(token: UpstreamToken, skKey: string, now: number) {
  return {
    sk_key: skKey,
    name: token.name.slice(0, 255),
    group_name: token.group.slice(0, 64),
    status: token.status,
    remain_quota: token.remain_quota,
    used_quota: token.used_quota,
    unlimited_quota: token.unlimited_quota ? 1 : 0,
    model_limits_enabled: token.model_limits_enabled ? 1 : 0,
    model_limits: token.model_limits,
    expired_time: token.expired_time,
    last_synced_at: now,
  };
}

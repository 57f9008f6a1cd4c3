import { isMaskedKey, maskMatches, withSkPrefix } from '../../domain/keys.js';
import type { ProviderTokenRow, ProviderTokensRepo, TokenChangeSet } from '../../repos/provider-tokens.js';
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
 * but an empty list is not believed: it would take every route away. Resolves whether anything the
 * route plan or the relay's route table reads changed (a key, a group, a status, an expiry, model limits).
 */
export async function syncTokens(
  deps: TokensStepDeps,
  provider: ProviderRow,
  account: UpstreamAccount,
  counts: Record<string, number>,
): Promise<boolean> {
  const upstream = await deps.client.tokens(account);
  const existing = await deps.tokens.listByProvider(provider.id);
  if (upstream.length === 0 && existing.length > 0) {
    throw new StepError(`upstream lists no tokens; keeping the ${existing.length} known`);
  }
  const now = deps.now();
  const byUpstreamId = new Map(existing.map((row) => [row.upstream_token_id, row]));
  const changes: TokenChangeSet = { insert: [], update: [], touch: [], delete: [], syncedAt: now };
  const revealFailures: string[] = [];
  let routable = false;
  let revealed = 0;
  for (const token of upstream) {
    const current = byUpstreamId.get(token.id);
    const key = await resolveKey(deps, account, token, current, revealFailures);
    if (key.revealed) revealed++;
    const values = tokenValues(token, key.value ?? current?.sk_key ?? '', now);
    if (!current) {
      changes.insert.push({ provider_id: provider.id, upstream_token_id: token.id, created_at: now, ...values });
    } else if (differs(current, values, TOKEN_FIELDS)) {
      changes.update.push({ id: current.id, values });
      routable ||= differs(current, values, ROUTE_FIELDS);
    } else if (current.last_synced_at !== now) {
      changes.touch.push(current.id);
    }
  }
  const seen = new Set(upstream.map((token) => token.id));
  changes.delete = existing.filter((row) => !seen.has(row.upstream_token_id)).map((row) => row.id);
  await deps.tokens.applySync(changes);
  Object.assign(counts, {
    tokens: upstream.length,
    added: changes.insert.length,
    updated: changes.update.length,
    removed: changes.delete.length,
    revealed,
  });
  if (revealFailures.length > 0) {
    counts.reveal_failed = revealFailures.length;
    throw new StepError(`could not reveal ${revealFailures.length} key(s): ${revealFailures.slice(0, 3).join('; ')}`);
  }
  return routable || changes.insert.length + changes.delete.length > 0;
}

type TokenValues = ReturnType<typeof tokenValues>;
/** Every synced field but last_synced_at: a token that differs in one of them is written whole. */
const TOKEN_FIELDS = [
  'sk_key',
  'name',
  'group_name',
  'status',
  'remain_quota',
  'used_quota',
  'unlimited_quota',
  'model_limits_enabled',
  'model_limits',
  'expired_time',
] as const satisfies ReadonlyArray<keyof TokenValues>;
/** The fields the route plan and the relay's route table read; quotas and the name change nothing there. */
const ROUTE_FIELDS = [
  'sk_key',
  'group_name',
  'status',
  'model_limits_enabled',
  'model_limits',
  'expired_time',
] as const satisfies ReadonlyArray<keyof TokenValues>;

function differs(current: ProviderTokenRow, values: TokenValues, fields: ReadonlyArray<keyof TokenValues>): boolean {
  return fields.some((field) => current[field] !== values[field]);
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

import { fakeKey, maskKey } from './factories.js';
import { apiError, apiSuccess, atoi } from './http.js';
import type { Ctx, FakeNewApiState, FakeToken } from './types.js';

const ITEMS_PER_PAGE = 10;
const MAX_PAGE_SIZE = 100;

/** The JSON form of a token row (model/token.go `Token`); `created_time`/`accessed_time` derive from the id. */
export function tokenView(state: FakeNewApiState, token: FakeToken, reveal = !state.maskKeys): Record<string, unknown> {
  return {
    id: token.id,
    user_id: state.userId,
    key: reveal ? token.key : maskKey(token.key),
    status: token.status,
    name: token.name,
    created_time: 1_751_000_000 + token.id * 60,
    accessed_time: 1_751_000_000 + token.id * 60,
    expired_time: token.expired_time,
    remain_quota: token.remain_quota,
    unlimited_quota: token.unlimited_quota,
    model_limits_enabled: token.model_limits_enabled,
    model_limits: token.model_limits,
    allow_ips: '',
    used_quota: token.used_quota,
    group: token.group,
    cross_group_retry: false,
    DeletedAt: null,
  };
}

function query(ctx: Ctx, name: string): number | undefined {
  return atoi(ctx.url.searchParams.get(name));
}

/**
 * `GET /api/token/`.
 * paged (common/page_info.go GetPageQuery): p 1-based (<1 → 1); size from page_size, else ps, else size
 * (a missing, unparsable or ≤0 value falls through), default 10, capped at 100.
 * legacy-array (v0.6.x): p 0-based (<0 → 0), size only (≤0 → 10, >100 → 100), data = plain array.
 */
export function listTokens(ctx: Ctx): void {
  const { state } = ctx;
  const sorted = [...state.tokens].sort((a, b) => b.id - a.id);
  if (state.tokenListStyle === 'legacy-array') {
    const p = Math.max(0, query(ctx, 'p') ?? 0);
    let size = query(ctx, 'size') ?? 0;
    if (size <= 0) size = ITEMS_PER_PAGE;
    size = Math.min(size, MAX_PAGE_SIZE);
    return apiSuccess(
      ctx,
      sorted.slice(p * size, p * size + size).map((t) => tokenView(state, t)),
    );
  }
  const page = Math.max(1, query(ctx, 'p') ?? 1);
  let pageSize = 0;
  for (const name of ['page_size', 'ps', 'size']) {
    const value = query(ctx, name) ?? 0;
    if (value > 0) {
      pageSize = value;
      break;
    }
  }
  if (pageSize === 0) pageSize = ITEMS_PER_PAGE;
  pageSize = Math.min(pageSize, MAX_PAGE_SIZE);
  const items = sorted.slice((page - 1) * pageSize, page * pageSize).map((t) => tokenView(state, t));
  apiSuccess(ctx, { page, page_size: pageSize, total: sorted.length, items });
}

/** Resolves `:id` like the Go handlers (Atoi error text, gorm `record not found`); sends the error. */
function findToken(ctx: Ctx, rawId: string): FakeToken | undefined {
  const id = atoi(rawId);
  if (id === undefined) {
    apiError(ctx, `strconv.Atoi: parsing ${JSON.stringify(rawId)}: invalid syntax`);
    return undefined;
  }
  const token = ctx.state.tokens.find((t) => t.id === id);
  if (!token) apiError(ctx, 'record not found');
  return token;
}

export function getToken(ctx: Ctx, rawId: string): void {
  const token = findToken(ctx, rawId);
  if (token) apiSuccess(ctx, tokenView(ctx.state, token));
}

/** `POST /api/token/:id/key` → `data: {key}` (full key, no `sk-`). */
export function revealTokenKey(ctx: Ctx, rawId: string): void {
  const token = findToken(ctx, rawId);
  if (token) apiSuccess(ctx, { key: token.key });
}

export function deleteToken(ctx: Ctx, rawId: string): void {
  const token = findToken(ctx, rawId);
  if (!token) return;
  ctx.state.tokens = ctx.state.tokens.filter((t) => t !== token);
  apiSuccess(ctx, undefined);
}

function parseBody(ctx: Ctx): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(ctx.body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    apiError(ctx, 'json: cannot unmarshal into Go value of type model.Token');
  } catch (error) {
    apiError(ctx, (error as Error).message);
  }
  return undefined;
}

function validate(ctx: Ctx, body: Record<string, unknown>): boolean {
  if (typeof body.name === 'string' && [...body.name].length > 50) {
    apiError(ctx, 'Token name is too long');
    return false;
  }
  if (typeof body.remain_quota === 'number' && body.remain_quota < 0) {
    apiError(ctx, 'Quota cannot be negative');
    return false;
  }
  return true;
}

const str = (v: unknown, d: string) => (typeof v === 'string' ? v : d);
const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);

/** `POST /api/token/`: `{"success":true,"message":""}`, no data (no id, no key). A client `key` is ignored. */
export function createToken(ctx: Ctx): void {
  const body = parseBody(ctx);
  if (!body || !validate(ctx, body)) return;
  const { state } = ctx;
  const id = state.tokens.reduce((max, t) => Math.max(max, t.id), 0) + 1;
  state.tokens.push({
    id,
    key: fakeKey(id),
    name: str(body.name, ''),
    group: str(body.group, ''),
    status: 1,
    expired_time: num(body.expired_time, -1),
    remain_quota: num(body.remain_quota, 0),
    used_quota: 0,
    unlimited_quota: bool(body.unlimited_quota, false),
    model_limits_enabled: bool(body.model_limits_enabled, false),
    model_limits: str(body.model_limits, ''),
  });
  apiSuccess(ctx, undefined);
}

/** `PUT /api/token/` (`?status_only=true` copies only `status`); answers the masked token. */
export function updateToken(ctx: Ctx): void {
  const body = parseBody(ctx);
  if (!body || !validate(ctx, body)) return;
  const token = findToken(ctx, String(body.id));
  if (!token) return;
  const status = num(body.status, token.status);
  if (status === 1 && token.status !== 1) {
    if (token.status === 3 || (token.expired_time !== -1 && token.expired_time * 1000 <= Date.now())) {
      return apiError(ctx, 'Token has expired and cannot be enabled; change its expiration time first');
    }
    if (token.status === 4 || (!token.unlimited_quota && token.remain_quota <= 0)) {
      return apiError(ctx, 'Token quota is exhausted and cannot be enabled; change its quota first');
    }
  }
  token.status = status;
  if (ctx.url.searchParams.get('status_only') !== 'true') {
    token.name = str(body.name, token.name);
    token.group = str(body.group, token.group);
    token.expired_time = num(body.expired_time, token.expired_time);
    token.remain_quota = num(body.remain_quota, token.remain_quota);
    token.unlimited_quota = bool(body.unlimited_quota, token.unlimited_quota);
    token.model_limits_enabled = bool(body.model_limits_enabled, token.model_limits_enabled);
    token.model_limits = str(body.model_limits, token.model_limits);
  }
  apiSuccess(ctx, tokenView(ctx.state, token));
}

import { apiError, apiSuccess, atoi, localDate, sendJson, sendRaw } from './http.js';
import { handlePricing } from './pricing.js';
import { createToken, deleteToken, getToken, listTokens, revealTokenKey, updateToken } from './tokens.js';
import type { Ctx, Handler } from './types.js';

export interface ManagementRoute {
  handler: Handler;
  /** UserAuth (access token + New-Api-User); false for the public routes. */
  auth: boolean;
}

const AUTH_MESSAGES = {
  en: {
    noToken: 'Unauthorized, not logged in and no access token provided',
    badToken: 'Unauthorized, invalid access token',
    noUser: 'Unauthorized, New-Api-User header not provided',
    userFormat: 'Unauthorized, New-Api-User header format error',
    userMismatch: 'Unauthorized, New-Api-User does not match logged in user',
  },
  zh: {
    noToken: '无权进行此操作，未登录且未提供 access token',
    badToken: '无权进行此操作，access token 无效',
    noUser: '无权进行此操作，未提供 New-Api-User',
    userFormat: '无权进行此操作，New-Api-User 格式错误',
    userMismatch: '无权进行此操作，New-Api-User 与登录用户不匹配',
  },
};

/** Auth version header added by a successful UserAuth. */
export const AUTH_VERSION = '864b7076dbcd0a3c01b5520316720ebf';

function header(ctx: Ctx, name: string): string {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/**
 * Classic (≤ rc.21) UserAuth: Authorization = the access token, bare or with the first exact `Bearer `
 * removed (Go strings.Replace(token, "Bearer ", "", 1)); then New-Api-User must be the user's id.
 * Sends the failure and returns false, or returns true.
 */
export function authorize(ctx: Ctx): boolean {
  const lang = /^\s*zh/i.test(header(ctx, 'accept-language')) ? AUTH_MESSAGES.zh : AUTH_MESSAGES.en;
  const fail = (message: string, status = 200): false => {
    apiError(ctx, message, status);
    return false;
  };
  const authorization = header(ctx, 'authorization');
  if (authorization === '') return fail(lang.noToken, 401);
  if (authorization.replace('Bearer ', '') !== ctx.state.accessToken) return fail(lang.badToken);
  const userHeader = header(ctx, 'new-api-user');
  if (userHeader === '') return fail(lang.noUser, 401);
  const id = atoi(userHeader);
  if (id === undefined) return fail(lang.userFormat, 401);
  if (id !== ctx.state.userId) return fail(lang.userMismatch, 401);
  ctx.res.setHeader('Auth-Version', AUTH_VERSION);
  return true;
}

function handleStatus(ctx: Ctx): void {
  const { state } = ctx;
  const data: Record<string, unknown> = {
    version: state.version,
    start_time: Math.floor(ctx.startTime / 1000),
    system_name: 'Fake NewAPI',
    server_address: ctx.baseUrl,
    display_in_currency: true,
    quota_display_type: 'USD',
    usd_exchange_rate: 7.3,
    price: 7.3,
    custom_currency_symbol: '¤',
    custom_currency_exchange_rate: 1,
    turnstile_check: false,
    turnstile_site_key: '',
    register_enabled: true,
    password_login_enabled: true,
    password_register_enabled: true,
    email_verification: false,
    self_use_mode_enabled: false,
    demo_site_enabled: false,
    default_use_auto_group: false,
    github_oauth: false,
    oidc_enabled: false,
    passkey_login: false,
    setup: true,
    HeaderNavModules: '',
  };
  if (state.quotaPerUnit !== null) data.quota_per_unit = state.quotaPerUnit;
  if (state.checkin !== 'absent') data.checkin_enabled = state.checkin === 'enabled';
  apiSuccess(ctx, data);
}

function handleSelf(ctx: Ctx): void {
  const { state } = ctx;
  apiSuccess(ctx, {
    id: state.userId,
    username: state.username,
    display_name: state.username,
    role: 1,
    status: 1,
    email: '',
    github_id: '',
    discord_id: '',
    oidc_id: '',
    wechat_id: '',
    telegram_id: '',
    linux_do_id: '',
    group: state.group,
    quota: state.quota,
    used_quota: state.usedQuota,
    request_count: state.requestCount,
    aff_code: 'FAKE',
    aff_count: 0,
    aff_quota: 0,
    aff_history_quota: 0,
    inviter_id: 0,
    setting: '{}',
    stripe_customer: '',
    sidebar_modules: '',
    permissions: { sidebar_settings: true, sidebar_modules: {}, admin_permissions: null },
  });
}

const CHECKIN_MIN = 1000;
const CHECKIN_MAX = 10000;

function handleCheckinStatus(ctx: Ctx): void {
  const { state } = ctx;
  if (state.checkin === 'disabled') return apiError(ctx, '签到功能未启用');
  const today = localDate();
  const month = ctx.url.searchParams.get('month') || today.slice(0, 7);
  const records = state.checkins
    .filter((r) => r.checkin_date.startsWith(`${month}-`))
    .sort((a, b) => b.checkin_date.localeCompare(a.checkin_date));
  // No `message` key on this one.
  sendJson(ctx.res, 200, {
    success: true,
    data: {
      enabled: true,
      min_quota: CHECKIN_MIN,
      max_quota: CHECKIN_MAX,
      stats: {
        total_quota: state.checkins.reduce((sum, r) => sum + r.quota_awarded, 0),
        total_checkins: state.checkins.length,
        checkin_count: records.length,
        checked_in_today: state.checkins.some((r) => r.checkin_date === today),
        records: records.map((r) => ({ ...r })),
      },
    },
  });
}

function handleCheckin(ctx: Ctx): void {
  const { state } = ctx;
  if (state.checkin === 'disabled') return apiError(ctx, '签到功能未启用');
  const today = localDate();
  if (state.checkins.some((r) => r.checkin_date === today)) return apiError(ctx, '今日已签到');
  const record = { checkin_date: today, quota_awarded: state.checkinQuota };
  state.checkins.push(record);
  state.quota += record.quota_awarded;
  sendJson(ctx.res, 200, { success: true, message: '签到成功', data: { ...record } });
}

function redirect(status: number): Handler {
  return (ctx) => sendRaw(ctx.res, status, '', { location: `${ctx.path}/${ctx.url.search}` });
}

/** The `/api/*` route table; undefined → NoRoute 404 (also for a wrong method on a known path). */
export function matchManagement(ctx: Ctx): ManagementRoute | undefined {
  const { method, path, state } = ctx;
  const user = (handler: Handler): ManagementRoute => ({ handler, auth: true });
  if (method === 'GET' && path === '/api/status') return { handler: handleStatus, auth: false };
  if (method === 'GET' && path === '/api/pricing') return { handler: handlePricing, auth: false };
  if (method === 'GET' && path === '/api/user/self') return user(handleSelf);
  if (path === '/api/user/checkin' && state.checkin !== 'absent') {
    if (method === 'GET') return user(handleCheckinStatus);
    if (method === 'POST') return user(handleCheckin);
  }
  // gin RedirectTrailingSlash: GET → 301, other methods → 307.
  if (path === '/api/token' && ['GET', 'POST', 'PUT'].includes(method)) {
    return { handler: redirect(method === 'GET' ? 301 : 307), auth: false };
  }
  if (path === '/api/token/') {
    if (method === 'GET') return user(listTokens);
    if (method === 'POST') return user(createToken);
    if (method === 'PUT') return user(updateToken);
  }
  const single = /^\/api\/token\/([^/]+)$/.exec(path);
  if (single) {
    if (method === 'GET') return user((c) => getToken(c, single[1]!));
    if (method === 'DELETE') return user((c) => deleteToken(c, single[1]!));
  }
  const key = /^\/api\/token\/([^/]+)\/key$/.exec(path);
  if (key && method === 'POST') return user((c) => revealTokenKey(c, key[1]!));
  return undefined;
}

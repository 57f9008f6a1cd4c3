import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { UpstreamError } from './errors.js';
import { callJson } from './http.js';
import {
  envelope,
  pricingDocument,
  revealedKey,
  selfData,
  statusData,
  tokenPage,
  type PricingItem,
  type UpstreamToken,
} from './schemas.js';

export interface UpstreamAccount {
  baseUrl: string;
  accessToken: string;
  userId: number;
}

export interface UpstreamPricing {
  models: PricingItem[];
  groupRatio: Record<string, number>;
  autoGroups: string[];
}

export interface UpstreamSelf {
  quota: number;
  usedQuota: number;
  group: string;
}

export interface UpstreamStatus {
  quotaPerUnit: number | undefined;
  checkinEnabled: boolean | undefined;
}

export type CheckinOutcome =
  | { kind: 'done'; message: string; quotaAwarded: number }
  | { kind: 'already'; message: string }
  | { kind: 'disabled'; message: string };

export type { PricingItem, UpstreamToken };

const TOKEN_PAGE_SIZE = 100;
const MAX_TOKEN_PAGES = 1000;

/** A browser's UA: management calls should look like the upstream's own dashboard, not a bot. */
const MANAGEMENT_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * NewAPI's management API as the gateway uses it (newapi-upstream.md §1–6). Every call sends the
 * access token and New-Api-User, which every version from v0.6 to rc.40 accepts, and treats a
 * `success:false` body as failure whatever the HTTP status.
 */
export class NewApiClient {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly timeoutMs: number,
  ) {}

  async status(account: UpstreamAccount): Promise<UpstreamStatus> {
    const data = await this.data(account, 'GET', '/api/status', statusData);
    const quotaPerUnit = data.quota_per_unit ?? undefined;
    return {
      quotaPerUnit: quotaPerUnit !== undefined && quotaPerUnit > 0 ? quotaPerUnit : undefined,
      checkinEnabled: data.checkin_enabled ?? data.check_in_enabled ?? undefined,
    };
  }

  async pricing(account: UpstreamAccount): Promise<UpstreamPricing> {
    const body = await this.call(account, 'GET', '/api/pricing');
    rejectFailedEnvelope(body);
    const parsed = parseOrThrow(pricingDocument, body, 'pricing');
    return { models: parsed.data, groupRatio: parsed.group_ratio ?? {}, autoGroups: parsed.auto_groups };
  }

  /** Every token on every page, whichever paging style the upstream speaks. */
  async tokens(account: UpstreamAccount): Promise<UpstreamToken[]> {
    // p=0 is the first page in both styles: old builds count from 0, new ones raise p<1 to 1.
    const first = await this.tokenPage(account, 0);
    if (Array.isArray(first)) return this.legacyPages(account, first);
    const all = [...first.items];
    const total = first.total;
    for (let page = 2; page <= MAX_TOKEN_PAGES && first.items.length > 0; page++) {
      if (total !== undefined && all.length >= total) break;
      const next = await this.tokenPage(account, page);
      const items = Array.isArray(next) ? next : next.items;
      if (items.length === 0) break;
      all.push(...items);
      if (total === undefined && items.length < TOKEN_PAGE_SIZE) break;
    }
    return dedupeById(all);
  }

  async revealKey(account: UpstreamAccount, tokenId: number): Promise<string> {
    const data = await this.data(account, 'POST', `/api/token/${tokenId}/key`, revealedKey);
    return data.key;
  }

  async self(account: UpstreamAccount): Promise<UpstreamSelf> {
    const data = await this.data(account, 'GET', '/api/user/self', selfData);
    return { quota: data.quota, usedQuota: data.used_quota, group: data.group };
  }

  async checkin(account: UpstreamAccount): Promise<CheckinOutcome> {
    const body = await this.call(account, 'POST', '/api/user/checkin');
    const parsed = parseOrThrow(envelope, body, 'check-in');
    const message = parsed.message ?? '';
    if (parsed.success) {
      const awarded = (parsed.data as { quota_awarded?: unknown } | undefined)?.quota_awarded;
      return { kind: 'done', message, quotaAwarded: typeof awarded === 'number' ? awarded : 0 };
    }
    if (isAlreadyCheckedIn(message)) return { kind: 'already', message };
    if (isCheckinDisabled(message)) return { kind: 'disabled', message };
    throw new UpstreamError('envelope', `check-in failed: ${message || 'no reason given'}`);
  }

  private async legacyPages(account: UpstreamAccount, first: UpstreamToken[]): Promise<UpstreamToken[]> {
    const all = [...first];
    let last = first;
    for (let page = 1; page < MAX_TOKEN_PAGES && last.length >= TOKEN_PAGE_SIZE; page++) {
      const next = await this.tokenPage(account, page);
      last = Array.isArray(next) ? next : next.items;
      if (last.length === 0) break;
      all.push(...last);
    }
    return dedupeById(all);
  }

  private async tokenPage(account: UpstreamAccount, page: number) {
    const query = `?p=${page}&page_size=${TOKEN_PAGE_SIZE}&size=${TOKEN_PAGE_SIZE}`;
    return this.data(account, 'GET', `/api/token/${query}`, tokenPage);
  }

  private async data<S extends z.ZodType>(
    account: UpstreamAccount,
    method: 'GET' | 'POST',
    path: string,
    schema: S,
  ): Promise<z.output<S>> {
    const body = await this.call(account, method, path);
    rejectFailedEnvelope(body);
    const data = (body as { data?: unknown }).data;
    return parseOrThrow(schema, data, path.split('?')[0] ?? path);
  }

  private async call(account: UpstreamAccount, method: 'GET' | 'POST', path: string): Promise<unknown> {
    const { body } = await callJson({
      baseUrl: account.baseUrl,
      path,
      method,
      dispatcher: this.dispatcher,
      timeoutMs: this.timeoutMs,
      headers: {
        authorization: `Bearer ${account.accessToken}`,
        'new-api-user': String(account.userId),
        accept: 'application/json',
        'user-agent': MANAGEMENT_USER_AGENT,
      },
    });
    return body;
  }
}

function rejectFailedEnvelope(body: unknown): void {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) throw new UpstreamError('malformed', 'upstream answer is not a NewAPI envelope');
  if (!parsed.data.success) {
    const message = parsed.data.message || 'no reason given';
    const failure = /unauthori[sz]ed|access token|无权进行此操作|banned|封禁/i.test(message) ? 'auth' : 'envelope';
    throw new UpstreamError(failure, `upstream refused: ${message}`);
  }
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new UpstreamError(
    'malformed',
    `upstream ${what} answer is malformed${where}: ${issue?.message ?? 'unexpected shape'}`,
  );
}

function dedupeById(tokens: UpstreamToken[]): UpstreamToken[] {
  return [...new Map(tokens.map((token) => [token.id, token])).values()];
}

/** NewAPI and its forks phrase "already checked in today" in several ways. */
export function isAlreadyCheckedIn(message: string): boolean {
  return /今日已签到|今天已经签到|今天已签到|已经签到|已签到|already\s*(checked|signed)|checked in today|signed in today/i.test(
    message,
  );
}

export function isCheckinDisabled(message: string): boolean {
  return /签到功能未启用|签到未启用|未开启签到|签到.*关闭|check-?in (is )?(not enabled|disabled)|not enabled/i.test(
    message,
  );
}

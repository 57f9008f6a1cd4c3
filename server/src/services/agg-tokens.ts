import { randomBytes } from 'node:crypto';
import { isUniqueViolation } from '../db/errors.js';
import { maskKey } from '../domain/keys.js';
import { appError } from '../errors/catalogue.js';
import type { AggTokenRow, AggTokensRepo, AggTokenUpdate, NewAggTokenRow } from '../repos/agg-tokens.js';

/**
 * The most tokens one user may hold. Generous for real use (a token per client or machine), small
 * enough that the relay snapshot and the panel's list stay cheap. The check runs before the insert,
 * so two creations racing at the limit can end one over; that is harmless.
 */
export const MAX_TOKENS_PER_USER = 100;

export const AGG_KEY_PREFIX = 'ag-';
export const AGG_KEY_LENGTH = 48;
const KEY_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The largest multiple of 62 that fits a byte: bytes at or above it are dropped, so no letter is favoured. */
const UNBIASED_BYTE_LIMIT = 256 - (256 % KEY_ALPHABET.length);
/** A collision needs 62^48 bad luck; a few retries turn "never" into "never, and not an error". */
const KEY_ATTEMPTS = 5;

/** 48 characters of [0-9A-Za-z] from the system CSPRNG, by rejection sampling (no modulo bias). */
export function generateAggKey(): string {
  let key = '';
  while (key.length < AGG_KEY_LENGTH) {
    for (const byte of randomBytes(64)) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue;
      key += KEY_ALPHABET[byte % KEY_ALPHABET.length];
      if (key.length === AGG_KEY_LENGTH) break;
    }
  }
  return key;
}

/**
 * Token fields as the API has already validated and normalised them: `expired_time` is -1 for never
 * (not 0), `model_limits` is comma-separated without blanks, `allow_ips` one normalised entry a line.
 */
export interface AggTokenInput {
  name?: string;
  status?: number;
  expired_time?: number;
  model_limits_enabled?: boolean;
  model_limits?: string;
  allow_ips?: string;
}

export type AggTokenChanges = AggTokenInput;

/** A token as the API shows it; `key` is masked except in the answer to its creation. */
export interface AggTokenView {
  id: number;
  user_id: number;
  name: string;
  key: string;
  status: number;
  expired_time: number;
  model_limits_enabled: boolean;
  model_limits: string;
  allow_ips: string;
  created_at: number;
  updated_at: number;
  accessed_at: number;
}

export interface AggTokensServiceDeps {
  tokens: AggTokensRepo;
  /** Awaited after every create, update and delete, so that the relay sees the change at once. */
  onChanged: () => Promise<void>;
  now: () => number;
  /** The key generator; tests replace it to force a collision. */
  generateKey?: () => string;
}

/**
 * A user's own aggregated tokens. Every method takes the acting user's id and only ever touches
 * that user's tokens: someone else's token is "not found", whatever the actor's role.
 */
export class AggTokensService {
  private readonly generateKey: () => string;

  constructor(private readonly deps: AggTokensServiceDeps) {
    this.generateKey = deps.generateKey ?? generateAggKey;
  }

  async page(
    userId: number,
    keyword: string | undefined,
    offset: number,
    limit: number,
  ): Promise<{ items: AggTokenView[]; total: number }> {
    const { items, total } = await this.deps.tokens.page(userId, keyword, offset, limit);
    return { items: items.map(toAggTokenView), total };
  }

  async get(userId: number, id: number): Promise<AggTokenView> {
    return toAggTokenView(await this.require(userId, id));
  }

  /** Creates a token; the answer carries the full `ag-` key, the one time it is shown unasked. */
  async create(userId: number, input: AggTokenInput): Promise<AggTokenView> {
    if ((await this.deps.tokens.countByUser(userId)) >= MAX_TOKENS_PER_USER) {
      throw appError(
        'VALIDATION_FAILED',
        `you already have ${MAX_TOKENS_PER_USER} tokens, the most one user may hold; delete one first`,
      );
    }
    const now = this.deps.now();
    const { id, key } = await this.insertWithFreshKey({
      user_id: userId,
      name: input.name ?? 'default',
      status: input.status ?? 1,
      expired_time: input.expired_time ?? -1,
      model_limits_enabled: input.model_limits_enabled ? 1 : 0,
      model_limits: input.model_limits ?? '',
      allow_ips: input.allow_ips ?? '',
      created_at: now,
      updated_at: now,
    });
    await this.deps.onChanged();
    return { ...(await this.get(userId, id)), key: `${AGG_KEY_PREFIX}${key}` };
  }

  /** The full key of one of the user's tokens, with its `ag-` prefix. */
  async reveal(userId: number, id: number): Promise<string> {
    return `${AGG_KEY_PREFIX}${(await this.require(userId, id)).key}`;
  }

  /** Changes only the fields given; the rest keep their values. */
  async update(userId: number, id: number, changes: AggTokenChanges): Promise<AggTokenView> {
    await this.require(userId, id);
    const update: AggTokenUpdate = { updated_at: this.deps.now() };
    if (changes.name !== undefined) update.name = changes.name;
    if (changes.status !== undefined) update.status = changes.status;
    if (changes.expired_time !== undefined) update.expired_time = changes.expired_time;
    if (changes.model_limits_enabled !== undefined) update.model_limits_enabled = changes.model_limits_enabled ? 1 : 0;
    if (changes.model_limits !== undefined) update.model_limits = changes.model_limits;
    if (changes.allow_ips !== undefined) update.allow_ips = changes.allow_ips;
    await this.deps.tokens.update(userId, id, update);
    await this.deps.onChanged();
    return this.get(userId, id);
  }

  async delete(userId: number, id: number): Promise<void> {
    await this.require(userId, id);
    await this.deps.tokens.delete(userId, id);
    await this.deps.onChanged();
  }

  private async insertWithFreshKey(row: Omit<NewAggTokenRow, 'key'>): Promise<{ id: number; key: string }> {
    for (let attempt = 1; ; attempt++) {
      const key = this.generateKey();
      try {
        return { id: await this.deps.tokens.insert({ ...row, key }), key };
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= KEY_ATTEMPTS) throw error;
      }
    }
  }

  private async require(userId: number, id: number): Promise<AggTokenRow> {
    const token = await this.deps.tokens.findOwned(userId, id);
    if (!token) throw appError('NOT_FOUND', `token ${id} not found`);
    return token;
  }
}

export function toAggTokenView(row: AggTokenRow): AggTokenView {
  return {
    id: row.id,
    user_id: row.user_id,
    name: row.name,
    key: maskKey(`${AGG_KEY_PREFIX}${row.key}`),
    status: row.status,
    expired_time: row.expired_time,
    model_limits_enabled: row.model_limits_enabled === 1,
    model_limits: row.model_limits,
    allow_ips: row.allow_ips,
    created_at: row.created_at,
    updated_at: row.updated_at,
    accessed_at: row.accessed_at,
  };
}

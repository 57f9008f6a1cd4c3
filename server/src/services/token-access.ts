import type { FastifyBaseLogger } from 'fastify';
import type { UsageRecord } from '../domain/usage-record.js';
import type { AggTokensRepo } from '../repos/agg-tokens.js';

/** A token's last use is written at most this often: to the minute is what an owner needs. */
const RESOLUTION_SECONDS = 60;

/**
 * Keeps `aggregated_tokens.accessed_at` (when each token was last used) from the usage records as
 * they are written: the relay itself never touches the token table. All tokens of a batch that are
 * due get the batch's latest time in one UPDATE, and a token is due once a minute, so a busy
 * gateway writes the table about once a minute, not once a request. The time only moves forward,
 * so processes writing at once agree.
 */
export class TokenAccessClock {
  /** Token id → the time last written for it. */
  private readonly written = new Map<number, number>();

  constructor(
    private readonly tokens: Pick<AggTokensRepo, 'markAccessed'>,
    private readonly logger: FastifyBaseLogger,
  ) {}

  /** Called with each batch once it is stored. A failure is logged, never passed on: the records are safe. */
  async recordBatch(rows: readonly UsageRecord[]): Promise<void> {
    let latest = 0;
    const lastUse = new Map<number, number>();
    for (const { aggregated_token_id: id, created_at: at } of rows) {
      if (at > latest) latest = at;
      if (id > 0 && at > (lastUse.get(id) ?? 0)) lastUse.set(id, at);
    }
    const due = new Set<number>();
    for (const [id, at] of lastUse) if (at >= (this.written.get(id) ?? 0) + RESOLUTION_SECONDS) due.add(id);
    if (due.size === 0) return;
    try {
      await this.tokens.markAccessed([...due], latest);
      for (const id of due) this.written.set(id, latest);
    } catch (error) {
      this.logger.warn({ err: error, tokens: due.size }, 'recording when tokens were last used failed');
    }
  }
}

import { UpstreamError } from '../../upstream/errors.js';

export type SyncStepName = 'pricing' | 'tokens' | 'balance' | 'routes';

/** What one step did: counts of what changed, and why it failed when it did. */
export interface SyncStepResult {
  step: SyncStepName;
  ok: boolean;
  error?: string;
  counts: Record<string, number>;
  ms: number;
}

export interface SyncReport {
  provider_id: number;
  ok: boolean;
  started_at: number;
  finished_at: number;
  steps: SyncStepResult[];
}

/** Thrown by a step to fail with a message meant for the admin. */
export class StepError extends Error {}

/**
 * Runs a step and reports it; an error never escapes, so the later steps still run. Counts a
 * step gathered before failing are kept.
 */
export async function runStep(
  step: SyncStepName,
  body: (counts: Record<string, number>) => Promise<void>,
  onUnexpected: (error: unknown) => void,
): Promise<SyncStepResult> {
  const started = performance.now();
  const counts: Record<string, number> = {};
  try {
    await body(counts);
    return { step, ok: true, counts, ms: Math.round(performance.now() - started) };
  } catch (error) {
    if (!(error instanceof UpstreamError || error instanceof StepError)) onUnexpected(error);
    return { step, ok: false, error: describe(error), counts, ms: Math.round(performance.now() - started) };
  }
}

function describe(error: unknown): string {
  if (error instanceof UpstreamError || error instanceof StepError) return error.message;
  // Anything else is our bug or the database's; the admin gets the class, the log gets the rest.
  return `internal error: ${(error as Error).name ?? 'Error'}`;
}

import { z } from 'zod';

/**
 * The system options an operator can change at run time (the `options` table). Each key has a type,
 * a default and bounds; anything else is refused. Values are stored as text and parsed here.
 */
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const int = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\s*-?\d+\s*$/, 'must be an integer')
        .transform(Number),
    ])
    .pipe(z.number().int('must be an integer').min(min).max(max));
const text = (max: number) => z.string().max(max);

export const OPTION_CATALOGUE = {
  SystemName: { schema: text(64).min(1), default: 'Gateway Aggregator' },
  Notice: { schema: text(10_000), default: '' },
  Footer: { schema: text(10_000), default: '' },
  About: { schema: text(50_000), default: '' },
  RegisterEnabled: { schema: bool, default: false },
  PasswordLoginEnabled: { schema: bool, default: true },
  SyncIntervalMinutes: { schema: int(1, 1440), default: 5 },
  SyncConcurrency: { schema: int(1, 64), default: 4 },
  CheckinTime: {
    schema: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM'),
    default: '00:05',
  },
  RetryTimes: { schema: int(0, 10), default: 3 },
  LogRetentionDays: { schema: int(0, 3650), default: 30 },
  /** A failing route rests base × multiplier^(failures-1) seconds, up to the max. */
  CooldownBaseSeconds: { schema: int(1, 3600), default: 10 },
  CooldownMultiplier: { schema: int(1, 10), default: 2 },
  CooldownMaxSeconds: { schema: int(1, 86_400), default: 600 },
  /** How long a route whose upstream says the model does not exist rests. */
  ModelMissingCooldownSeconds: { schema: int(1, 604_800), default: 3600 },
  /** Skip providers whose last sync showed a balance of zero or less, until a sync shows funds. */
  SkipDepletedProviders: { schema: bool, default: true },
} as const;

export type OptionKey = keyof typeof OPTION_CATALOGUE;
export type OptionValues = { -readonly [K in OptionKey]: z.output<(typeof OPTION_CATALOGUE)[K]['schema']> };

export function isOptionKey(key: string): key is OptionKey {
  return Object.hasOwn(OPTION_CATALOGUE, key);
}

export function defaultOptionValues(): OptionValues {
  const values = {} as Record<OptionKey, unknown>;
  for (const key of Object.keys(OPTION_CATALOGUE) as OptionKey[]) values[key] = OPTION_CATALOGUE[key].default;
  return values as OptionValues;
}

/** Stored text is parsed with the same schema as API input, so a hand-edited row cannot smuggle in a bad value. */
export function parseOptionValue<K extends OptionKey>(
  key: K,
  value: unknown,
): { ok: true; value: OptionValues[K] } | { ok: false; problem: string } {
  const result = OPTION_CATALOGUE[key].schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data as OptionValues[K] };
  return { ok: false, problem: result.error.issues.map((issue) => issue.message).join('; ') };
}

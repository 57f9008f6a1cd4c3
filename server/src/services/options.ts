import { appError } from '../errors/catalogue.js';
import type { OptionsRepo } from '../repos/options.js';
import {
  OPTION_CATALOGUE,
  defaultOptionValues,
  isOptionKey,
  parseOptionValue,
  type OptionKey,
  type OptionValues,
} from './options-catalogue.js';

export interface OptionEntry {
  key: OptionKey;
  value: OptionValues[OptionKey];
  default: OptionValues[OptionKey];
}

/** Known options held in memory; the database is read at start and written on every change. */
export class OptionsService {
  private values: OptionValues = defaultOptionValues();

  constructor(
    private readonly repo: OptionsRepo,
    private readonly warn: (message: string) => void,
    /** Told after an option changes, for the parts that read it only when they rebuild. */
    private readonly onChanged: (key: OptionKey) => Promise<void> = () => Promise.resolve(),
  ) {}

  async load(): Promise<void> {
    const stored = await this.repo.all();
    const values = defaultOptionValues();
    for (const [key, raw] of stored) {
      if (!isOptionKey(key)) continue; // internal rows (e.g. the session secret) and retired keys
      const parsed = parseOptionValue(key, raw);
      if (parsed.ok) (values as Record<OptionKey, unknown>)[key] = parsed.value;
      else this.warn(`option ${key} holds an invalid value (${parsed.problem}); using the default`);
    }
    this.values = values;
  }

  get<K extends OptionKey>(key: K): OptionValues[K] {
    return this.values[key];
  }

  list(): OptionEntry[] {
    return (Object.keys(OPTION_CATALOGUE) as OptionKey[]).map((key) => ({
      key,
      value: this.values[key],
      default: OPTION_CATALOGUE[key].default,
    }));
  }

  async update(key: string, value: unknown, now: number): Promise<OptionEntry> {
    if (!isOptionKey(key)) {
      throw appError(
        'UNKNOWN_OPTION',
        `unknown option "${key}"; known options: ${Object.keys(OPTION_CATALOGUE).join(', ')}`,
      );
    }
    if (value === null || value === undefined || typeof value === 'object') {
      throw appError('VALIDATION_FAILED', `option ${key}: value must be a string, number or boolean`);
    }
    const parsed = parseOptionValue(key, value);
    if (!parsed.ok) throw appError('VALIDATION_FAILED', `option ${key}: ${parsed.problem}`);
    await this.repo.set(key, String(parsed.value), now);
    (this.values as Record<OptionKey, unknown>)[key] = parsed.value;
    await this.onChanged(key);
    return { key, value: parsed.value, default: OPTION_CATALOGUE[key].default };
  }
}

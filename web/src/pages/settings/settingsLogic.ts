import type { OptionEntry, OptionValue } from '../../api/options.js';
import type { SelfChangesBody } from '../../api/users.js';

export type OptionKind = 'switch' | 'number' | 'textarea' | 'input';

/** Long free texts get a text area; every other string a one-line input. */
export const LONG_TEXT_OPTIONS: readonly string[] = ['Notice', 'About', 'Footer'];

/** The field for an option, from the type of its value (the default's, should the value be odd). */
export function optionKind(entry: Pick<OptionEntry, 'key' | 'value' | 'default'>): OptionKind {
  const sample = typeof entry.default === typeof entry.value ? entry.value : entry.default;
  if (typeof sample === 'boolean') return 'switch';
  if (typeof sample === 'number') return 'number';
  return LONG_TEXT_OPTIONS.includes(entry.key) ? 'textarea' : 'input';
}

/** A draft worth saving: changed, and not an emptied number field. */
export function canSaveOption(entry: Pick<OptionEntry, 'value'>, draft: OptionValue | null | undefined): boolean {
  return draft !== null && draft !== undefined && draft !== entry.value;
}

/** How a default reads next to its field; an empty text is "(empty)". */
export function formatOptionValue(value: OptionValue, labels: { yes: string; no: string; empty: string }): string {
  if (typeof value === 'boolean') return value ? labels.yes : labels.no;
  if (value === '') return labels.empty;
  const text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export interface ProfileValues {
  display_name?: string;
  email?: string;
}

export function profileBody(values: ProfileValues): SelfChangesBody {
  return { display_name: (values.display_name ?? '').trim(), email: (values.email ?? '').trim() };
}

export interface PasswordValues {
  original_password: string;
  password: string;
  confirm: string;
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** What is wrong with a password change before it is sent, as i18n keys under `settings.password`. */
export function passwordProblem(values: PasswordValues): 'tooShort' | 'tooLong' | 'mismatch' | undefined {
  if (values.password.length < PASSWORD_MIN) return 'tooShort';
  if (values.password.length > PASSWORD_MAX) return 'tooLong';
  if (values.password !== values.confirm) return 'mismatch';
  return undefined;
}

export function passwordBody(values: PasswordValues): SelfChangesBody {
  return { original_password: values.original_password, password: values.password };
}

import dayjs, { type Dayjs } from 'dayjs';
import type { AggToken, AggTokenBody } from '../../api/tokens.js';

/** What the token form holds; the API body is worked out from it by `formToBody`. */
export interface TokenFormValues {
  name: string;
  enabled: boolean;
  neverExpires: boolean;
  expiresAt?: Dayjs | null;
  modelLimitsEnabled: boolean;
  /** Comma-separated (newlines are taken as commas too). */
  modelLimits: string;
  /** One entry a line. */
  allowIps: string;
}

export const ENABLED = 1;
export const DISABLED = 2;

/** Model names from a comma (or newline) separated list: trimmed, blanks and duplicates dropped. */
export function splitModels(text: string | undefined | null): string[] {
  if (!text) return [];
  return [...new Set(text.split(/[,\n]/).map((model) => model.trim()))].filter(Boolean);
}

/** IP allow-list lines: trimmed, blank lines dropped; the server checks and normalises each entry. */
export function splitIpLines(text: string | undefined | null): string[] {
  if (!text) return [];
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export function defaultTokenForm(): TokenFormValues {
  return {
    name: '',
    enabled: true,
    neverExpires: true,
    expiresAt: null,
    modelLimitsEnabled: false,
    modelLimits: '',
    allowIps: '',
  };
}

/** The form's values as the API body: never ↔ -1, trimmed model list, one IP a line. */
export function formToBody(values: TokenFormValues): AggTokenBody {
  const expires = values.neverExpires || !values.expiresAt ? -1 : Math.max(1, values.expiresAt.unix());
  return {
    name: values.name.trim(),
    status: values.enabled ? ENABLED : DISABLED,
    expired_time: expires,
    model_limits_enabled: values.modelLimitsEnabled,
    model_limits: splitModels(values.modelLimits).join(','),
    allow_ips: splitIpLines(values.allowIps).join('\n'),
  };
}

/** A stored token as form values, for editing. */
export function tokenToForm(token: AggToken): TokenFormValues {
  const never = token.expired_time <= 0;
  return {
    name: token.name,
    enabled: token.status === ENABLED,
    neverExpires: never,
    expiresAt: never ? null : dayjs.unix(token.expired_time),
    modelLimitsEnabled: token.model_limits_enabled,
    modelLimits: splitModels(token.model_limits).join(', '),
    allowIps: splitIpLines(token.allow_ips).join('\n'),
  };
}

export function isExpired(token: Pick<AggToken, 'expired_time'>, nowSeconds: number): boolean {
  return token.expired_time > 0 && token.expired_time <= nowSeconds;
}

const FORM_FIELDS: Record<string, keyof TokenFormValues> = {
  name: 'name',
  status: 'enabled',
  expired_time: 'expiresAt',
  model_limits_enabled: 'modelLimitsEnabled',
  model_limits: 'modelLimits',
  allow_ips: 'allowIps',
};

/**
 * The server names bad fields as `field: problem; field: problem`; this puts each problem on its
 * form field. Problems that name no known field are left out (the caller shows the whole message).
 */
export function serverFieldErrors(message: string): { name: keyof TokenFormValues; errors: string[] }[] {
  const found = new Map<keyof TokenFormValues, string[]>();
  for (const part of message.split('; ')) {
    const [, key = '', problem = ''] = /^([a-z_]+): (.+)$/s.exec(part.trim()) ?? [];
    const field = Object.hasOwn(FORM_FIELDS, key) ? FORM_FIELDS[key] : undefined;
    if (!field || !problem) continue;
    found.set(field, [...(found.get(field) ?? []), problem]);
  }
  return [...found].map(([name, errors]) => ({ name, errors }));
}

/** Single-quotes a word for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export const EXAMPLE_MODEL = 'gpt-4o-mini';

/**
 * A ready `curl` call of this gateway's chat completions with the key; the model is the token's first
 * allowed one when it is limited, so the example works as pasted.
 */
export function buildCurlExample(
  origin: string,
  key: string,
  token?: Pick<AggToken, 'model_limits_enabled' | 'model_limits'>,
  message = 'Hello!',
): string {
  const limited = token?.model_limits_enabled ? splitModels(token.model_limits) : [];
  const body = JSON.stringify({ model: limited[0] ?? EXAMPLE_MODEL, messages: [{ role: 'user', content: message }] });
  return [
    `curl ${shellQuote(`${origin.replace(/\/+$/, '')}/v1/chat/completions`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H ${shellQuote(`Authorization: Bearer ${key}`)} \\`,
    `  -d ${shellQuote(body)}`,
  ].join('\n');
}

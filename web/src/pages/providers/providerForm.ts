/** The provider form: its values, the API body they become, and the server's field rules (server/src/api/schemas.ts). */
import type { Provider, ProviderBody } from '../../api/providers.js';

export interface ProviderFormValues {
  name: string;
  base_url: string;
  access_token: string;
  user_id: number | null;
  weight: number | null;
  priority: number | null;
  status: boolean;
  checkin_enabled: boolean;
  remark: string;
}

export const PROVIDER_FIELDS = [
  'name',
  'base_url',
  'access_token',
  'user_id',
  'weight',
  'priority',
  'status',
  'checkin_enabled',
  'remark',
] as const;
export type ProviderField = (typeof PROVIDER_FIELDS)[number];

export const DEFAULT_WEIGHT = 10;
export const DEFAULT_PRIORITY = 0;
const ENABLED = 1;
const DISABLED = 2;

/** The form's starting values: the provider's (never its token), or the server's defaults for a new one. */
export function toFormValues(provider?: Provider | null): ProviderFormValues {
  if (!provider) {
    return {
      name: '',
      base_url: '',
      access_token: '',
      user_id: null,
      weight: DEFAULT_WEIGHT,
      priority: DEFAULT_PRIORITY,
      status: true,
      checkin_enabled: false,
      remark: '',
    };
  }
  return {
    name: provider.name,
    base_url: provider.base_url,
    access_token: '',
    user_id: provider.user_id,
    weight: provider.weight,
    priority: provider.priority,
    status: provider.status === ENABLED,
    checkin_enabled: provider.checkin_enabled,
    remark: provider.remark,
  };
}

/**
 * The body of POST (no id) or PUT (with id). On an update an empty access token is left out, which the
 * server reads as "keep the stored one"; empty number fields fall back to the defaults.
 */
export function toProviderBody(values: ProviderFormValues, id?: number): ProviderBody {
  const token = (values.access_token ?? '').trim();
  const body: ProviderBody = {
    name: values.name.trim(),
    base_url: values.base_url.trim().replace(/\/+$/, ''),
    user_id: values.user_id ?? 0,
    weight: values.weight ?? DEFAULT_WEIGHT,
    priority: values.priority ?? DEFAULT_PRIORITY,
    status: values.status ? ENABLED : DISABLED,
    checkin_enabled: values.checkin_enabled,
    remark: values.remark ?? '',
  };
  if (id === undefined) return { ...body, access_token: token };
  return token ? { id, ...body, access_token: token } : { id, ...body };
}

/** Like the server: http(s), a host, no query or fragment. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0 && !url.search && !url.hash
    );
  } catch {
    return false;
  }
}

const isInt = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/**
 * Checks one field as the server would; answers the key of the message under `providers.form.errors`,
 * or null when the value is fine. `creating` makes the access token required.
 */
export function fieldProblem(field: ProviderField, value: unknown, creating: boolean): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  switch (field) {
    case 'name':
      if (!text) return 'nameRequired';
      return text.length > 128 ? 'nameTooLong' : null;
    case 'base_url':
      if (!text) return 'baseUrlRequired';
      if (text.length > 512) return 'baseUrlTooLong';
      return isHttpUrl(text) ? null : 'baseUrlInvalid';
    case 'access_token':
      if (creating && !text) return 'accessTokenRequired';
      return text.length > 4096 ? 'accessTokenTooLong' : null;
    case 'user_id':
      return isInt(value, 1, Number.MAX_SAFE_INTEGER) ? null : 'userIdInvalid';
    case 'weight':
      return value === null || value === undefined || isInt(value, 0, 10_000) ? null : 'weightInvalid';
    case 'priority':
      return value === null || value === undefined || isInt(value, -10_000, 10_000) ? null : 'priorityInvalid';
    case 'remark':
      return typeof value === 'string' && value.length > 1000 ? 'remarkTooLong' : null;
    default:
      return null;
  }
}

export interface ServerProblems {
  fields: { name: ProviderField; errors: string[] }[];
  /** Parts of the message that name no form field. */
  rest: string[];
}

/**
 * Splits a server message such as `name: a provider named "x" already exists; weight: must not be
 * negative` into per-field errors for the form, keeping anything else for a general alert.
 */
export function serverProblems(message: string): ServerProblems {
  const byField = new Map<ProviderField, string[]>();
  const rest: string[] = [];
  for (const part of message
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [, name, text] = /^([a-z_]+):\s*(.+)$/.exec(part) ?? [];
    const field = PROVIDER_FIELDS.find((known) => known === name);
    if (field && text) {
      byField.set(field, [...(byField.get(field) ?? []), text]);
    } else {
      rest.push(part);
    }
  }
  return { fields: [...byField].map(([name, errors]) => ({ name, errors })), rest };
}

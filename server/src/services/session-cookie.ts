import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SessionData } from './sessions.js';

export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

export function sign(secret: string, payload: string): string {
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

/** The payload of a value `sign` made with this secret; undefined for anything else. */
export function unsign(secret: string, value: string): string | undefined {
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const payload = value.slice(0, dot);
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(value);
  return expected.length === given.length && timingSafeEqual(expected, given) ? payload : undefined;
}

/** A signed cookie value carrying `data` as base64url JSON. */
export function seal(secret: string, data: object): string {
  return sign(secret, Buffer.from(JSON.stringify(data)).toString('base64url'));
}

/** What `seal` put in a signed payload, or undefined when it is not JSON. */
export function openPayload(payload: string): unknown {
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown;
  } catch {
    return undefined;
  }
}

export function isSessionData(value: unknown): value is SessionData {
  const v = value as SessionData | null;
  return typeof v?.uid === 'number' && typeof v.ver === 'number';
}

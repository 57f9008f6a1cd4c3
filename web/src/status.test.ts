import { describe, expect, it } from 'vitest';
import { fetchStatus } from './status.js';

const respond = (body: unknown, ok = true) =>
  (() => Promise.resolve({ ok, json: () => Promise.resolve(body) } as Response)) as typeof fetch;

describe('fetchStatus', () => {
  it('returns the data of a successful envelope', async () => {
    const data = {
      version: '1.2.3',
      system_name: 'X',
      start_time: 1,
      register_enabled: false,
      password_login_enabled: true,
    };
    expect(await fetchStatus(respond({ success: true, data }))).toEqual(data);
  });

  it('returns undefined for a failure envelope or a network error', async () => {
    expect(await fetchStatus(respond({ success: false, message: 'nope' }))).toBeUndefined();
    const failing: typeof fetch = () => Promise.reject(new Error('down'));
    expect(await fetchStatus(failing)).toBeUndefined();
  });
});

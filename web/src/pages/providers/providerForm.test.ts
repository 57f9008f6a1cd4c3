import { describe, expect, it } from 'vitest';
import type { Provider } from '../../api/providers.js';
import { fieldProblem, isHttpUrl, serverProblems, toFormValues, toProviderBody } from './providerForm.js';

const provider: Provider = {
  id: 7,
  name: 'Provider-A',
  base_url: 'https://a.example.com',
  user_id: 3,
  weight: 20,
  priority: 5,
  status: 2,
  checkin_enabled: true,
  remark: 'main',
  has_access_token: true,
  balance_usd: 1.5,
  balance_updated_at: 1,
  user_group: 'default',
  last_synced_at: 0,
  last_sync_result: null,
  last_checkin_at: 0,
  last_checkin_result: null,
  created_at: 1,
  updated_at: 1,
};

describe('toFormValues', () => {
  it('uses the server defaults for a new provider', () => {
    expect(toFormValues()).toMatchObject({
      weight: 10,
      priority: 0,
      status: true,
      checkin_enabled: false,
      user_id: null,
    });
  });

  it('copies an existing provider but never a token', () => {
    const values = toFormValues(provider);
    expect(values).toMatchObject({ name: 'Provider-A', user_id: 3, weight: 20, priority: 5, status: false });
    expect(values.access_token).toBe('');
  });
});

describe('toProviderBody', () => {
  const values = { ...toFormValues(provider), name: '  Provider-B ', base_url: 'https://b.example.com//' };

  it('trims, drops trailing slashes and maps the switches', () => {
    const body = toProviderBody({ ...values, access_token: ' tok ', status: true }, undefined);
    expect(body).toEqual({
      name: 'Provider-B',
      base_url: 'https://b.example.com',
      access_token: 'tok',
      user_id: 3,
      weight: 20,
      priority: 5,
      status: 1,
      checkin_enabled: true,
      remark: 'main',
    });
    expect(body.id).toBeUndefined();
  });

  it('leaves an empty access token out of an update, so the old one stays', () => {
    const body = toProviderBody({ ...values, access_token: '   ' }, 7);
    expect(body.id).toBe(7);
    expect('access_token' in body).toBe(false);
    expect(body.status).toBe(2);
  });

  it('sends a new access token on update', () => {
    expect(toProviderBody({ ...values, access_token: 'new' }, 7).access_token).toBe('new');
  });

  it('falls back to the defaults for empty numbers', () => {
    const body = toProviderBody({ ...values, weight: null, priority: null }, 7);
    expect(body).toMatchObject({ weight: 10, priority: 0 });
  });
});

describe('isHttpUrl', () => {
  it.each([
    ['https://api.example.com', true],
    ['http://10.0.0.1:3000/base', true],
    ['ftp://example.com', false],
    ['https://example.com/?x=1', false],
    ['https://example.com/#top', false],
    ['example.com', false],
    ['', false],
  ])('%s → %s', (url, expected) => expect(isHttpUrl(url)).toBe(expected));
});

describe('fieldProblem', () => {
  it('checks the name', () => {
    expect(fieldProblem('name', '  ', true)).toBe('nameRequired');
    expect(fieldProblem('name', 'x'.repeat(129), true)).toBe('nameTooLong');
    expect(fieldProblem('name', 'x'.repeat(128), true)).toBeNull();
  });

  it('checks the URL', () => {
    expect(fieldProblem('base_url', '', true)).toBe('baseUrlRequired');
    expect(fieldProblem('base_url', 'nope', true)).toBe('baseUrlInvalid');
    expect(fieldProblem('base_url', `https://a.com/${'x'.repeat(512)}`, true)).toBe('baseUrlTooLong');
    expect(fieldProblem('base_url', 'https://a.com', true)).toBeNull();
  });

  it('requires the token only on create', () => {
    expect(fieldProblem('access_token', '', true)).toBe('accessTokenRequired');
    expect(fieldProblem('access_token', '', false)).toBeNull();
    expect(fieldProblem('access_token', 'x'.repeat(4097), false)).toBe('accessTokenTooLong');
  });

  it('checks the numbers like the server', () => {
    expect(fieldProblem('user_id', null, true)).toBe('userIdInvalid');
    expect(fieldProblem('user_id', 0, true)).toBe('userIdInvalid');
    expect(fieldProblem('user_id', 1.5, true)).toBe('userIdInvalid');
    expect(fieldProblem('user_id', 1, true)).toBeNull();
    expect(fieldProblem('weight', -1, true)).toBe('weightInvalid');
    expect(fieldProblem('weight', 10_001, true)).toBe('weightInvalid');
    expect(fieldProblem('weight', 0, true)).toBeNull();
    expect(fieldProblem('priority', -10_000, true)).toBeNull();
    expect(fieldProblem('priority', 2.5, true)).toBe('priorityInvalid');
    expect(fieldProblem('remark', 'x'.repeat(1001), true)).toBe('remarkTooLong');
  });
});

describe('serverProblems', () => {
  it('puts a duplicate name on the name field', () => {
    expect(serverProblems('name: a provider named "A" already exists')).toEqual({
      fields: [{ name: 'name', errors: ['a provider named "A" already exists'] }],
      rest: [],
    });
  });

  it('splits several fields and keeps the rest', () => {
    const problems = serverProblems('weight: must not be negative; base_url: bad; something else; id: nope');
    expect(problems.fields).toEqual([
      { name: 'weight', errors: ['must not be negative'] },
      { name: 'base_url', errors: ['bad'] },
    ]);
    expect(problems.rest).toEqual(['something else', 'id: nope']);
  });
});

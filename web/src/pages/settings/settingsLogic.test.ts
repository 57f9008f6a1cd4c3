import { describe, expect, it } from 'vitest';
import settings from '../../i18n/locales/settings.js';
import tokens from '../../i18n/locales/tokens.js';
import users from '../../i18n/locales/users.js';
import {
  canSaveOption,
  formatOptionValue,
  optionKind,
  passwordBody,
  passwordProblem,
  profileBody,
} from './settingsLogic.js';

describe('optionKind', () => {
  it('picks the field from the value type', () => {
    expect(optionKind({ key: 'RegisterEnabled', value: false, default: false })).toBe('switch');
    expect(optionKind({ key: 'RetryTimes', value: 3, default: 3 })).toBe('number');
    expect(optionKind({ key: 'SystemName', value: 'GA', default: 'Gateway Aggregator' })).toBe('input');
    expect(optionKind({ key: 'CheckinTime', value: '00:05', default: '00:05' })).toBe('input');
  });
  it('gives Notice, About and Footer a text area', () => {
    for (const key of ['Notice', 'About', 'Footer'])
      expect(optionKind({ key, value: '', default: '' })).toBe('textarea');
  });
  it('trusts the default when the value has another type', () => {
    expect(optionKind({ key: 'RetryTimes', value: '3', default: 3 })).toBe('number');
  });
});

describe('canSaveOption', () => {
  it('needs a change and a value', () => {
    expect(canSaveOption({ value: 3 }, 3)).toBe(false);
    expect(canSaveOption({ value: 3 }, 4)).toBe(true);
    expect(canSaveOption({ value: 3 }, null)).toBe(false);
    expect(canSaveOption({ value: true }, false)).toBe(true);
    expect(canSaveOption({ value: 'a' }, '')).toBe(true);
  });
});

describe('formatOptionValue', () => {
  const labels = { yes: 'Yes', no: 'No', empty: '(empty)' };
  it('reads booleans, empty texts and long texts', () => {
    expect(formatOptionValue(true, labels)).toBe('Yes');
    expect(formatOptionValue(false, labels)).toBe('No');
    expect(formatOptionValue('', labels)).toBe('(empty)');
    expect(formatOptionValue(30, labels)).toBe('30');
    expect(formatOptionValue('x'.repeat(100), labels)).toHaveLength(58);
  });
});

describe('profile and password bodies', () => {
  it('trims the profile', () => {
    expect(profileBody({ display_name: ' Root ', email: undefined })).toEqual({ display_name: 'Root', email: '' });
  });
  it('checks length and confirmation before sending', () => {
    expect(passwordProblem({ original_password: 'x', password: 'short', confirm: 'short' })).toBe('tooShort');
    expect(passwordProblem({ original_password: 'x', password: 'x'.repeat(129), confirm: 'x'.repeat(129) })).toBe(
      'tooLong',
    );
    expect(passwordProblem({ original_password: 'x', password: 'longenough', confirm: 'longenougH' })).toBe('mismatch');
    expect(passwordProblem({ original_password: 'x', password: 'longenough', confirm: 'longenough' })).toBeUndefined();
  });
  it('sends the current and the new password, not the confirmation', () => {
    expect(passwordBody({ original_password: '123456', password: 'longenough', confirm: 'longenough' })).toEqual({
      original_password: '123456',
      password: 'longenough',
    });
  });
});

type Tree = { [key: string]: string | Tree };
const keys = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree)
    .flatMap(([key, value]) => (typeof value === 'string' ? [prefix + key] : keys(value, `${prefix}${key}.`)))
    .sort();
const texts = (tree: Tree): string[] =>
  Object.values(tree).flatMap((value) => (typeof value === 'string' ? [value] : texts(value)));

describe('tokens, users and settings texts', () => {
  it.each([
    ['tokens', tokens],
    ['users', users],
    ['settings', settings],
  ])('%s has the same keys in Chinese and English, none empty', (_, part) => {
    expect(keys(part.en)).toEqual(keys(part.zh));
    expect([...texts(part.zh), ...texts(part.en)].filter((text) => !text.trim())).toEqual([]);
  });
});

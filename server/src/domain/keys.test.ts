import { describe, expect, it } from 'vitest';
import { isMaskedKey, maskKey, maskMatches, withSkPrefix } from './keys.js';

const KEY = 'abcdEFGHijklMNOPqrstUVWXyz0123456789ABCDEFGHwxyz';

describe('upstream keys', () => {
  it('adds sk- once', () => {
    expect(withSkPrefix(KEY)).toBe(`sk-${KEY}`);
    expect(withSkPrefix(`sk-${KEY}`)).toBe(`sk-${KEY}`);
  });

  it('recognises NewAPI masks and matches them against known keys', () => {
    const mask = 'abcd**********wxyz';
    expect(isMaskedKey(mask)).toBe(true);
    expect(isMaskedKey(KEY)).toBe(false);
    expect(maskMatches(mask, `sk-${KEY}`)).toBe(true);
    expect(maskMatches(mask, KEY)).toBe(true);
    expect(maskMatches('abce**********wxyz', KEY)).toBe(false);
    expect(maskMatches('abcd**********wxyy', KEY)).toBe(false);
    expect(maskMatches(mask, '')).toBe(false);
    expect(maskMatches(mask, 'abwxyz')).toBe(false);
  });

  it('masks keys for display without showing the middle', () => {
    expect(maskKey(`sk-${KEY}`)).toBe('sk-abcd********wxyz');
    expect(maskKey(`ag-${KEY}`)).toBe('ag-abcd********wxyz');
    expect(maskKey('short')).toBe('*****');
    expect(maskKey('')).toBe('');
    expect(maskKey(`sk-${KEY}`)).not.toContain('EFGH');
  });
});

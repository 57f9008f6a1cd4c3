import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import type { AggToken } from '../../api/tokens.js';
import {
  buildCurlExample,
  defaultTokenForm,
  formToBody,
  isExpired,
  serverFieldErrors,
  shellQuote,
  splitIpLines,
  splitModels,
  tokenToForm,
} from './tokenForm.js';

const token = (over: Partial<AggToken> = {}): AggToken => ({
  id: 1,
  user_id: 1,
  name: 'laptop',
  key: 'ag-QZUY********ZFp5',
  status: 1,
  expired_time: -1,
  model_limits_enabled: false,
  model_limits: '',
  allow_ips: '',
  created_at: 1764403200,
  updated_at: 1764403200,
  accessed_at: 0,
  ...over,
});

describe('splitModels / splitIpLines', () => {
  it('trims, drops blanks and duplicates, and takes newlines as commas', () => {
    expect(splitModels(' gpt-4o , ,claude-3,, gpt-4o ')).toEqual(['gpt-4o', 'claude-3']);
    expect(splitModels('a\nb, c')).toEqual(['a', 'b', 'c']);
    expect(splitModels('')).toEqual([]);
    expect(splitModels(undefined)).toEqual([]);
  });
  it('keeps one IP entry a line, without blank lines', () => {
    expect(splitIpLines(' 1.2.3.4 \r\n\n10.0.0.0/8\n  \n')).toEqual(['1.2.3.4', '10.0.0.0/8']);
    expect(splitIpLines(null)).toEqual([]);
  });
});

describe('formToBody', () => {
  it('maps "never" to -1 and a picked time to Unix seconds', () => {
    expect(formToBody({ ...defaultTokenForm(), name: ' office ' })).toEqual({
      name: 'office',
      status: 1,
      expired_time: -1,
      model_limits_enabled: false,
      model_limits: '',
      allow_ips: '',
    });
    const at = dayjs.unix(1_900_000_000);
    expect(formToBody({ ...defaultTokenForm(), name: 'x', neverExpires: false, expiresAt: at }).expired_time).toBe(
      1_900_000_000,
    );
    // "never" wins over a leftover date, and no date at all is never too.
    expect(formToBody({ ...defaultTokenForm(), name: 'x', neverExpires: true, expiresAt: at }).expired_time).toBe(-1);
    expect(formToBody({ ...defaultTokenForm(), name: 'x', neverExpires: false, expiresAt: null }).expired_time).toBe(
      -1,
    );
  });
  it('sends the disabled status, the trimmed model list and the IP lines', () => {
    const body = formToBody({
      ...defaultTokenForm(),
      name: 'x',
      enabled: false,
      modelLimitsEnabled: true,
      modelLimits: 'gpt-4o,  gpt-4o-mini ,,gpt-4o',
      allowIps: '203.0.113.0/24\n\n  ::1  \n',
    });
    expect(body).toMatchObject({
      status: 2,
      model_limits_enabled: true,
      model_limits: 'gpt-4o,gpt-4o-mini',
      allow_ips: '203.0.113.0/24\n::1',
    });
  });
});

describe('tokenToForm', () => {
  it('reads -1 (and 0) as never', () => {
    expect(tokenToForm(token()).neverExpires).toBe(true);
    expect(tokenToForm(token({ expired_time: 0 })).expiresAt).toBeNull();
  });
  it('round-trips through formToBody', () => {
    const stored = token({
      status: 2,
      expired_time: 1_900_000_000,
      model_limits_enabled: true,
      model_limits: 'gpt-4o,claude-3',
      allow_ips: '1.2.3.4\n10.0.0.0/8',
    });
    const form = tokenToForm(stored);
    expect(form.modelLimits).toBe('gpt-4o, claude-3');
    expect(form.expiresAt?.unix()).toBe(1_900_000_000);
    expect(formToBody(form)).toEqual({
      name: 'laptop',
      status: 2,
      expired_time: 1_900_000_000,
      model_limits_enabled: true,
      model_limits: 'gpt-4o,claude-3',
      allow_ips: '1.2.3.4\n10.0.0.0/8',
    });
  });
});

describe('isExpired', () => {
  it('is false for never and for a future time', () => {
    expect(isExpired({ expired_time: -1 }, 100)).toBe(false);
    expect(isExpired({ expired_time: 200 }, 100)).toBe(false);
    expect(isExpired({ expired_time: 100 }, 100)).toBe(true);
  });
});

describe('serverFieldErrors', () => {
  it('puts each named problem on its form field', () => {
    expect(
      serverFieldErrors('allow_ips: "not-an-ip" is not an IP address or CIDR range; name: must not be empty'),
    ).toEqual([
      { name: 'allowIps', errors: ['"not-an-ip" is not an IP address or CIDR range'] },
      { name: 'name', errors: ['must not be empty'] },
    ]);
  });
  it('ignores messages that name no form field', () => {
    expect(serverFieldErrors('you already have 100 tokens, the most one user may hold; delete one first')).toEqual([]);
    expect(serverFieldErrors('constructor: x')).toEqual([]);
  });
});

describe('buildCurlExample', () => {
  it('calls chat completions of this origin with the key and a small JSON body', () => {
    expect(buildCurlExample('https://gw.example.com/', 'ag-abc')).toBe(
      [
        `curl 'https://gw.example.com/v1/chat/completions' \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -H 'Authorization: Bearer ag-abc' \\`,
        `  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}]}'`,
      ].join('\n'),
    );
  });
  it('uses the first allowed model of a limited token', () => {
    const example = buildCurlExample('http://127.0.0.1:3000', 'ag-k', {
      model_limits_enabled: true,
      model_limits: ' claude-3 ,gpt-4o',
    });
    expect(example).toContain('"model":"claude-3"');
    expect(buildCurlExample('http://h', 'ag-k', { model_limits_enabled: false, model_limits: 'x' })).toContain(
      '"model":"gpt-4o-mini"',
    );
  });
  it('quotes single quotes for the shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(buildCurlExample('http://h', 'ag-k', undefined, "what's up")).toContain(`"content":"what'\\''s up"`);
  });
});

import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, extractClientKey, upstreamQuery, upstreamRequestHeaders } from './header-rules.js';

const AG = 'Qw3rtyUi0pAsDfGhJkLzXcVbNm1234567890QwErTyUiOpAs';

describe('extractClientKey', () => {
  it('takes Authorization first, with or without Bearer and ag-', () => {
    expect(extractClientKey({ authorization: `Bearer ag-${AG}`, 'x-api-key': 'other' }, '')).toEqual({
      key: AG,
      source: 'authorization',
    });
    expect(extractClientKey({ authorization: AG }, '')).toEqual({ key: AG, source: 'authorization' });
    expect(extractClientKey({ authorization: `bearer ${AG}` }, '')).toEqual({ key: AG, source: 'authorization' });
  });

  it('then x-api-key, x-goog-api-key and ?key=', () => {
    expect(extractClientKey({ 'x-api-key': `ag-${AG}` }, '')).toEqual({ key: AG, source: 'x-api-key' });
    expect(extractClientKey({ 'x-goog-api-key': AG }, 'key=zzz')).toEqual({ key: AG, source: 'x-goog-api-key' });
    expect(extractClientKey({}, `alt=sse&key=ag-${AG}`)).toEqual({ key: AG, source: 'query' });
  });

  it('finds nothing in an empty or missing credential', () => {
    expect(extractClientKey({}, '')).toBeUndefined();
    expect(extractClientKey({ authorization: 'Bearer ' }, 'key=x')).toBeUndefined();
  });
});

describe('upstreamRequestHeaders', () => {
  const raw = [
    'Host',
    'gateway.example',
    'User-Agent',
    'OpenAI/JS 6.30.1',
    'Authorization',
    `Bearer ag-${AG}`,
    'Content-Type',
    'application/json',
    'Content-Length',
    '42',
    'X-Forwarded-For',
    '1.2.3.4',
    'X-Forwarded-Proto',
    'https',
    'Forwarded',
    'for=1.2.3.4',
    'Via',
    '1.1 proxy',
    'X-Real-IP',
    '1.2.3.4',
    'CF-Connecting-IP',
    '1.2.3.4',
    'True-Client-IP',
    '1.2.3.4',
    'Cookie',
    'session=abc',
    'Connection',
    'keep-alive',
    'Accept-Encoding',
    'gzip, br',
    'OpenAI-Beta',
    'assistants=v2',
    'X-Stainless-Lang',
    'js',
    'X-Api-Key',
    `ag-${AG}`,
    'X-Echo',
    `token ag-${AG} inside`,
  ];

  it('keeps the client headers in order, swaps the key, and drops proxy, hop-by-hop and credential headers', () => {
    const out = upstreamRequestHeaders(raw, { key: AG, source: 'authorization' }, 'sk-upstream');
    expect(out).toEqual([
      'User-Agent',
      'OpenAI/JS 6.30.1',
      'Authorization',
      'Bearer sk-upstream',
      'Content-Type',
      'application/json',
      'Accept-Encoding',
      'gzip, br',
      'OpenAI-Beta',
      'assistants=v2',
      'X-Stainless-Lang',
      'js',
    ]);
    expect(out.join('\n')).not.toContain(AG);
  });

  it('puts the provider key in the header the client used', () => {
    const anthropic = upstreamRequestHeaders(
      ['x-api-key', AG, 'anthropic-version', '2023-06-01'],
      { key: AG, source: 'x-api-key' },
      'sk-u',
    );
    expect(anthropic).toEqual(['x-api-key', 'sk-u', 'anthropic-version', '2023-06-01']);
    const gemini = upstreamRequestHeaders(['x-goog-api-key', AG], { key: AG, source: 'x-goog-api-key' }, 'sk-u');
    expect(gemini).toEqual(['x-goog-api-key', 'sk-u']);
  });
});

describe('upstreamQuery', () => {
  it('swaps the key in the query only when it came from there', () => {
    expect(upstreamQuery(`alt=sse&key=ag-${AG}`, { key: AG, source: 'query' }, 'sk-u')).toBe('alt=sse&key=sk-u');
    expect(upstreamQuery('alt=sse', { key: AG, source: 'authorization' }, 'sk-u')).toBe('alt=sse');
  });
});

describe('clientResponseHeaders', () => {
  it('passes everything but hop-by-hop headers', () => {
    expect(
      clientResponseHeaders({
        'content-type': 'text/event-stream',
        'transfer-encoding': 'chunked',
        connection: 'keep-alive',
        'x-oneapi-request-id': 'abc',
        'set-cookie': ['a=1', 'b=2'],
      }),
    ).toEqual({ 'content-type': 'text/event-stream', 'x-oneapi-request-id': 'abc', 'set-cookie': ['a=1', 'b=2'] });
  });
});

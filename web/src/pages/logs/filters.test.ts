import { describe, expect, it } from 'vitest';
import type { LogItem } from '../../api/logs.js';
import {
  DETAIL_FIELDS,
  EMPTY_FILTERS,
  attemptCount,
  exportUrl,
  filtersFromSearch,
  filtersToParams,
  logsLink,
  statusTag,
  timeParams,
  type LogFilterValues,
} from './filters.js';

const NOW = 1_764_403_200;
const admin = { scope: 'all' as const, isAdmin: true, now: NOW };
const user = { scope: 'self' as const, isAdmin: false, now: NOW };

describe('timeParams', () => {
  it('sends nothing for all time', () => {
    expect(timeParams({ kind: 'all' }, NOW)).toEqual({});
  });

  it('counts "the last N" back from the anchor, without an end', () => {
    expect(timeParams({ kind: 'last', seconds: 3600 }, NOW)).toEqual({ start_time: NOW - 3600 });
    expect(timeParams({ kind: 'last', seconds: 3600 }, 100)).toEqual({ start_time: 0 });
  });

  it('passes a custom range as whole seconds and keeps the end after the start', () => {
    expect(timeParams({ kind: 'custom', start: 1000.7, end: 87_400.2 }, NOW)).toEqual({
      start_time: 1000,
      end_time: 87_400,
    });
    expect(timeParams({ kind: 'custom', start: 5000, end: 5000 }, NOW)).toEqual({ start_time: 5000, end_time: 5001 });
  });
});

describe('filtersToParams', () => {
  it('drops everything that means "any"', () => {
    expect(filtersToParams(EMPTY_FILTERS, admin)).toEqual({});
  });

  it('maps every filter to its query parameter, trimmed', () => {
    const values: LogFilterValues = {
      range: { kind: 'custom', start: 100, end: 200 },
      model: ' gpt-4o ',
      provider: 'Provider-A',
      tokenId: 7,
      userId: 3,
      status: 'error',
      stream: 'false',
      requestId: ' abc ',
    };
    expect(filtersToParams(values, admin)).toEqual({
      start_time: 100,
      end_time: 200,
      model: 'gpt-4o',
      provider: 'Provider-A',
      token_id: 7,
      user_id: 3,
      status: 'error',
      stream: 'false',
      request_id: 'abc',
    });
  });

  it('keeps user and provider filters away from the routes that refuse or hide them', () => {
    const values = { ...EMPTY_FILTERS, provider: 'P', userId: 3, tokenId: 4 };
    expect(filtersToParams(values, user)).toEqual({ token_id: 4 });
    expect(filtersToParams(values, { ...admin, scope: 'self' })).toEqual({ provider: 'P', token_id: 4 });
  });

  it('ignores ids that are not positive integers', () => {
    expect(filtersToParams({ ...EMPTY_FILTERS, tokenId: 0, userId: 1.5 }, admin)).toEqual({});
  });
});

describe('exportUrl', () => {
  it('points at the route of the scope with the same filters', () => {
    expect(exportUrl('self', {})).toBe('/api/log/self/export');
    expect(exportUrl('all', { start_time: 100, model: 'a b&c', status: 'success', stream: 'true' })).toBe(
      '/api/log/export?start_time=100&model=a+b%26c&status=success&stream=true',
    );
  });

  it('builds the same query the list gets from the filters', () => {
    const params = filtersToParams({ ...EMPTY_FILTERS, range: { kind: 'last', seconds: 60 }, userId: 2 }, admin);
    expect(exportUrl('all', params)).toBe(`/api/log/export?start_time=${NOW - 60}&user_id=2`);
  });
});

describe('logsLink and filtersFromSearch', () => {
  it('round-trip the filters a link sets', () => {
    const link = logsLink({ model: 'gpt-4o', provider: 'P A', status: 'error' });
    expect(link).toBe('/logs?model=gpt-4o&provider=P+A&status=error');
    const parsed = filtersFromSearch(new URLSearchParams(link.split('?')[1]));
    expect(parsed).toEqual({ ...EMPTY_FILTERS, model: 'gpt-4o', provider: 'P A', status: 'error' });
  });

  it('leaves malformed values at "any"', () => {
    const parsed = filtersFromSearch(new URLSearchParams('status=maybe&stream=1&token_id=-2&user_id=x&request_id=r'));
    expect(parsed).toEqual({ ...EMPTY_FILTERS, requestId: 'r' });
    expect(filtersFromSearch(new URLSearchParams('token_id=5&stream=true')).tokenId).toBe(5);
    expect(logsLink({})).toBe('/logs');
  });
});

describe('attemptCount and statusTag', () => {
  it('counts the deciding attempt except for a refusal without a route', () => {
    const failed = { attempts: [{}, {}] as LogItem['attempts'], error_type: 'timeout' };
    expect(attemptCount(failed)).toBe(3);
    expect(attemptCount({ attempts: [], error_type: '' })).toBe(1);
    expect(attemptCount({ attempts: [], error_type: 'no_route' })).toBe(0);
  });

  it('shows the HTTP status, or the error type when nothing answered', () => {
    expect(statusTag({ status: 1, http_status: 200, error_type: '' })).toEqual({ color: 'success', text: '200' });
    expect(statusTag({ status: 0, http_status: 502, error_type: 'upstream_status' })).toEqual({
      color: 'error',
      text: '502',
    });
    expect(statusTag({ status: 0, http_status: 0, error_type: 'timeout' })).toEqual({
      color: 'error',
      text: 'timeout',
    });
  });
});

describe('DETAIL_FIELDS', () => {
  it('lists every field of a usage row once', () => {
    const row: Record<keyof Omit<LogItem, 'attempts'>, true> = {
      id: true,
      request_id: true,
      created_at: true,
      user_id: true,
      aggregated_token_id: true,
      provider_id: true,
      provider_name: true,
      provider_token_id: true,
      route_id: true,
      model_name: true,
      endpoint: true,
      is_stream: true,
      status: true,
      http_status: true,
      error_type: true,
      error_message: true,
      attempt: true,
      final: true,
      latency_ms: true,
      first_byte_ms: true,
      prompt_tokens: true,
      completion_tokens: true,
      cache_tokens: true,
      total_tokens: true,
      cost_usd: true,
      client_ip: true,
      user_agent: true,
    };
    expect([...DETAIL_FIELDS].sort()).toEqual(Object.keys(row).sort());
  });
});

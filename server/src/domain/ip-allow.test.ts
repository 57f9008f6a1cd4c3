import { describe, expect, it } from 'vitest';
import { ALLOW_ALL, isAllowed, parseAllowList, type AllowList } from './ip-allow.js';

function list(text: string): AllowList {
  const result = parseAllowList(text);
  if (!result.ok) throw new Error(`unexpected bad entry ${result.bad}`);
  return result.list;
}

describe('parseAllowList', () => {
  it('treats empty text, blank lines and whitespace as no entries: everyone allowed', () => {
    for (const text of ['', '\n', '  \n\t\n\r\n']) {
      const parsed = list(text);
      expect(parsed.entries).toEqual([]);
      expect(isAllowed(parsed, '203.0.113.9')).toBe(true);
      expect(isAllowed(parsed, '2001:db8::1')).toBe(true);
    }
    expect(isAllowed(ALLOW_ALL, '1.2.3.4')).toBe(true);
  });

  it('normalises entries, one per line, without duplicates', () => {
    const parsed = list(
      '  1.2.3.4  \r\n\n10.0.0.0/8\n2001:DB8:0:0::1\n2001:db8::/32\n::ffff:192.0.2.1\n::ffff:c000:200/120\n1.2.3.4\n',
    );
    expect(parsed.entries).toEqual([
      '1.2.3.4',
      '10.0.0.0/8',
      '2001:db8::1',
      '2001:db8::/32',
      '192.0.2.1',
      '192.0.2.0/24',
    ]);
  });

  it.each([
    'garbage',
    '1.2.3',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4/33',
    '1.2.3.4/',
    '1.2.3.4/-1',
    '1.2.3.4/08',
    '1.2.3.4/8/8',
    '1.2.3.4/a',
    '2001:db8::/129',
    '2001:db8:::1',
    'fe80::1%eth0',
    '::ffff:1.2.3.4/95',
    '1.2.3.4 5.6.7.8',
    '1.2.3.0-1.2.3.9',
    'localhost',
  ])('refuses %j and names it', (bad) => {
    expect(parseAllowList(`1.2.3.4\n${bad}\n5.6.7.8`)).toEqual({ ok: false, bad });
  });
});

describe('isAllowed', () => {
  it('matches exact IPv4 and IPv6 addresses only', () => {
    const parsed = list('192.0.2.10\n2001:db8::10');
    expect(isAllowed(parsed, '192.0.2.10')).toBe(true);
    expect(isAllowed(parsed, '192.0.2.11')).toBe(false);
    expect(isAllowed(parsed, '2001:db8::10')).toBe(true);
    expect(isAllowed(parsed, '2001:DB8:0::10')).toBe(true);
    expect(isAllowed(parsed, '2001:db8::11')).toBe(false);
  });

  it('honours IPv4 CIDR edges: /0, /32 and the range bounds', () => {
    expect(isAllowed(list('0.0.0.0/0'), '255.255.255.255')).toBe(true);
    expect(isAllowed(list('0.0.0.0/0'), '0.0.0.0')).toBe(true);
    expect(isAllowed(list('192.0.2.7/32'), '192.0.2.7')).toBe(true);
    expect(isAllowed(list('192.0.2.7/32'), '192.0.2.8')).toBe(false);
    const net = list('10.1.2.0/24');
    expect(isAllowed(net, '10.1.2.0')).toBe(true);
    expect(isAllowed(net, '10.1.2.255')).toBe(true);
    expect(isAllowed(net, '10.1.1.255')).toBe(false);
    expect(isAllowed(net, '10.1.3.0')).toBe(false);
    // Host bits in the entry are ignored, as in every CIDR implementation.
    expect(isAllowed(list('10.1.2.77/24'), '10.1.2.1')).toBe(true);
  });

  it('honours IPv6 CIDR edges: /0, /64 and /128', () => {
    expect(isAllowed(list('::/0'), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(isAllowed(list('::/0'), '::')).toBe(true);
    const net = list('2001:db8:1:2::/64');
    expect(isAllowed(net, '2001:db8:1:2::')).toBe(true);
    expect(isAllowed(net, '2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(true);
    expect(isAllowed(net, '2001:db8:1:3::')).toBe(false);
    expect(isAllowed(net, '2001:db8:1:1:ffff:ffff:ffff:ffff')).toBe(false);
    expect(isAllowed(list('2001:db8::5/128'), '2001:db8::5')).toBe(true);
    expect(isAllowed(list('2001:db8::5/128'), '2001:db8::6')).toBe(false);
  });

  it('keeps the families apart: ::/0 is every IPv6 client, 0.0.0.0/0 every IPv4 client', () => {
    expect(isAllowed(list('::/0'), '192.0.2.1')).toBe(false);
    expect(isAllowed(list('::/0'), '::ffff:192.0.2.1')).toBe(false);
    expect(isAllowed(list('0.0.0.0/0'), '2001:db8::1')).toBe(false);
    expect(isAllowed(list('0.0.0.0/0'), '::1')).toBe(false);
  });

  it('treats IPv4-mapped IPv6 as IPv4, in the list and in the client address', () => {
    expect(isAllowed(list('192.0.2.1'), '::ffff:192.0.2.1')).toBe(true);
    expect(isAllowed(list('192.0.2.1'), '::FFFF:c000:201')).toBe(true);
    expect(isAllowed(list('192.0.2.0/24'), '::ffff:192.0.2.200')).toBe(true);
    expect(isAllowed(list('192.0.2.0/24'), '::ffff:192.0.3.1')).toBe(false);
    expect(isAllowed(list('::ffff:192.0.2.1'), '192.0.2.1')).toBe(true);
    expect(isAllowed(list('::ffff:192.0.2.0/120'), '192.0.2.99')).toBe(true);
    expect(isAllowed(list('::ffff:192.0.2.0/120'), '192.0.3.99')).toBe(false);
    expect(isAllowed(list('::ffff:0:0/96'), '203.0.113.5')).toBe(true);
  });

  it('refuses client addresses that are not addresses, and ignores a client zone id', () => {
    const parsed = list('192.0.2.1\nfe80::1');
    for (const bad of ['', 'garbage', '192.0.2', '192.0.2.1:443', '[fe80::1]']) {
      expect(isAllowed(parsed, bad), bad).toBe(false);
    }
    expect(isAllowed(parsed, ' 192.0.2.1 ')).toBe(true);
    expect(isAllowed(parsed, 'fe80::1%eth0')).toBe(true);
  });
});

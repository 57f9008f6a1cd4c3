import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * A token's IP allow-list: exact addresses and CIDR ranges, IPv4 and IPv6, one per line.
 *
 * The two families are kept apart on purpose. Node's `BlockList` maps an IPv4 address into IPv6
 * when it checks it against an IPv6 rule, so `::/0` would let every IPv4 client in; here `::/0`
 * means "every IPv6 client" and `0.0.0.0/0` "every IPv4 client", as in NewAPI (Go's net.IPNet).
 * An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`), as a dual-stack socket reports an IPv4 client,
 * is treated as the IPv4 address, both in the list and when checking a client.
 */
export interface AllowList {
  /** The normalised entries (`1.2.3.4`, `10.0.0.0/8`, `2001:db8::/32`), duplicates removed; empty allows everyone. */
  readonly entries: readonly string[];
  readonly v4: BlockList;
  readonly v6: BlockList;
}

export type ParseAllowListResult = { ok: true; list: AllowList } | { ok: false; bad: string };

/** Parses newline-separated entries; blank lines and surrounding whitespace are ignored. */
export function parseAllowList(text: string): ParseAllowListResult {
  const entries: string[] = [];
  const v4 = new BlockList();
  const v6 = new BlockList();
  for (const line of text.split(/\r?\n/)) {
    const raw = line.trim();
    if (!raw) continue;
    const entry = parseEntry(raw);
    if (!entry) return { ok: false, bad: raw };
    const normalised = entry.prefix === undefined ? entry.address : `${entry.address}/${entry.prefix}`;
    if (entries.includes(normalised)) continue;
    entries.push(normalised);
    const family = entry.family === 4 ? 'ipv4' : 'ipv6';
    const target = entry.family === 4 ? v4 : v6;
    if (entry.prefix === undefined) target.addAddress(entry.address, family);
    else target.addSubnet(entry.address, entry.prefix, family);
  }
  return { ok: true, list: { entries, v4, v6 } };
}

/** An allow-list that lets everyone in. */
export const ALLOW_ALL: AllowList = { entries: [], v4: new BlockList(), v6: new BlockList() };

/** Whether a client address may use the token; an empty list allows everyone, an unparsable address no one. */
export function isAllowed(list: AllowList, ip: string): boolean {
  if (list.entries.length === 0) return true;
  const address = normaliseAddress(ip.trim().replace(/%.*$/, ''));
  if (!address) return false;
  return address.family === 4 ? list.v4.check(address.address, 'ipv4') : list.v6.check(address.address, 'ipv6');
}

interface Entry {
  family: 4 | 6;
  address: string;
  prefix: number | undefined;
}

function parseEntry(raw: string): Entry | undefined {
  const slash = raw.indexOf('/');
  const addressText = slash === -1 ? raw : raw.slice(0, slash);
  const address = normaliseAddress(addressText);
  if (!address) return undefined;
  if (slash === -1) return { ...address, prefix: undefined };
  const prefixText = raw.slice(slash + 1);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  let prefix = Number(prefixText);
  // A mapped range (`::ffff:10.0.0.0/104`) is an IPv4 range once the 96 mapping bits are taken off.
  if (address.family === 4 && address.mapped) {
    if (prefix < 96 || prefix > 128) return undefined;
    prefix -= 96;
  }
  if (prefix > (address.family === 4 ? 32 : 128)) return undefined;
  return { family: address.family, address: address.address, prefix };
}

/**
 * The canonical text of an address: dotted IPv4, or compressed lower-case IPv6 (RFC 5952, via the
 * WHATWG URL serialiser). Zone ids (`fe80::1%eth0`) are refused in a list entry.
 */
function normaliseAddress(text: string): { family: 4 | 6; address: string; mapped: boolean } | undefined {
  if (isIPv4(text)) return { family: 4, address: text, mapped: false };
  if (text.includes('%') || !isIPv6(text)) return undefined;
  const canonical = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped) {
    const high = parseInt(mapped[1] ?? '0', 16);
    const low = parseInt(mapped[2] ?? '0', 16);
    return { family: 4, address: `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, mapped: true };
  }
  return { family: 6, address: canonical, mapped: false };
}

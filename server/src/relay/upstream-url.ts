import { errors } from 'undici';

/** An upstream URL split the way undici's `request(url)` splits it: origin, and path with query. */
export interface UpstreamTarget {
  origin: string;
  path: string;
}

/** Distinct URLs kept; beyond this the cache starts over (paths with a model in them can vary freely). */
const MAX_ENTRIES = 1024;

const cache = new Map<string, UpstreamTarget>();

/**
 * Parsing the same few URLs with `new URL` on every call cost a few percent of a relayed call; the
 * split is the one undici's `request(url)` makes (WHATWG URL normalisation and its errors
 * included), done once per distinct URL.
 */
export function upstreamTarget(url: string): UpstreamTarget {
  let target = cache.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new errors.InvalidArgumentError('Invalid URL protocol: the URL must start with `http:` or `https:`.');
    }
    target = { origin: parsed.origin, path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname };
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(url, target);
  }
  return target;
}

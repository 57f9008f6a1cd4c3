import { describe, expect, it } from 'vitest';
import { upstreamTarget } from './upstream-url.js';

describe('upstreamTarget', () => {
  it('splits as new URL does, base path and query included', () => {
    expect(upstreamTarget('http://127.0.0.1:3000/v1/chat/completions')).toEqual({
      origin: 'http://127.0.0.1:3000',
      path: '/v1/chat/completions',
    });
    expect(upstreamTarget('https://api.example.com/proxy/v1beta/models/g:generateContent?alt=sse&key=sk-1')).toEqual({
      origin: 'https://api.example.com',
      path: '/proxy/v1beta/models/g:generateContent?alt=sse&key=sk-1',
    });
    const odd = 'http://h/v1/x?q=a b"<>';
    expect(upstreamTarget(odd).path).toBe(new URL(odd).pathname + new URL(odd).search);
    expect(upstreamTarget(odd)).toBe(upstreamTarget(odd)); // kept, not parsed again
  });

  it('refuses what undici would refuse', () => {
    expect(() => upstreamTarget('not a url')).toThrow(TypeError);
    expect(() => upstreamTarget('ftp://h/x')).toThrow(/http/);
  });
});

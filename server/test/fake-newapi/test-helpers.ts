import type { FakeNewApi } from './server.js';

/** fetch a management route with the fake's access token and New-Api-User. */
export function mgmt(fake: FakeNewApi, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${fake.state.accessToken}`,
      'new-api-user': String(fake.state.userId),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
}

/** POST JSON to a relay route with `Authorization: Bearer sk-<key>`. */
export function relayPost(
  fake: FakeNewApi,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer sk-${fake.state.tokens[0]!.key}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

export interface ParsedFrame {
  event: string | undefined;
  data: string;
}

/** Splits an SSE body into frames (blank-line separated), keeping `event:` and the joined `data:` lines. */
export function sseFrames(text: string): ParsedFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { event, data };
    });
}

/** The JSON payloads of the frames (all but `[DONE]`). */
export function sseJson(text: string): Record<string, unknown>[] {
  return sseFrames(text)
    .filter((f) => f.data !== '[DONE]')
    .map((f) => JSON.parse(f.data) as Record<string, unknown>);
}

/** Reads a streamed body until `predicate(text so far)` holds; returns the text and the reader. */
export async function readUntil(
  response: Response,
  predicate: (text: string) => boolean,
): Promise<{ text: string; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  let text = '';
  while (!predicate(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return { text, reader };
}

export async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Walks a parsed JSON value loosely for assertions: `dig(body, 'data', 'items', 0, 'id')`. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** `list.map((item) => item[key])` for a loosely typed JSON array. */
export function pluck(list: unknown, key: string): unknown[] {
  return Array.isArray(list) ? list.map((item) => dig(item, key)) : [];
}

/** The JSON body of a response as a plain record. */
export async function bodyOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

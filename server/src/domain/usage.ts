/**
 * Token usage as reported by the upstream in a response body, normalised across the OpenAI,
 * OpenAI Responses, Anthropic and Gemini shapes (newapi-upstream.md §11).
 *
 * Meaning of the fields, whatever the source shape:
 * - `promptTokens`: all input tokens, cached ones included. (Anthropic reports cache reads and
 *   cache writes apart from `input_tokens`, so for it this is input + cache read + cache write.)
 * - `completionTokens`: all output tokens, reasoning/thinking included.
 * - `cacheTokens`: input tokens read from a prompt cache (a part of `promptTokens`).
 * - `totalTokens`: as reported, else prompt + completion.
 */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  cacheTokens: number;
  totalTokens: number;
}

const FIELDS = ['promptTokens', 'completionTokens', 'cacheTokens', 'totalTokens'] as const;

type Obj = Record<string, unknown>;

function asObject(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

/** An own property (never one inherited from Object.prototype). */
function field(obj: Obj | undefined, key: string): unknown {
  return obj !== undefined && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** A token count: a finite, non-negative number; anything else counts as absent. */
function count(obj: Obj | undefined, key: string): number | undefined {
  const value = field(obj, key);
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function sum(...values: (number | undefined)[]): number {
  let total = 0;
  for (const value of values) total += value ?? 0;
  return total;
}

function compact(usage: Partial<Usage>): Partial<Usage> | undefined {
  const out: Partial<Usage> = {};
  let any = false;
  for (const key of FIELDS) {
    const value = usage[key];
    if (typeof value === 'number' && Number.isFinite(value)) {
      out[key] = value;
      any = true;
    }
  }
  return any ? out : undefined;
}

/**
 * A `usage` block of the OpenAI (chat, completions, embeddings), OpenAI Responses or Anthropic
 * shape.
 */
function fromUsageBlock(value: unknown): Partial<Usage> | undefined {
  const usage = asObject(value);
  if (usage === undefined) return undefined;

  const prompt = count(usage, 'prompt_tokens');
  const completion = count(usage, 'completion_tokens');
  if (prompt !== undefined || completion !== undefined) {
    // OpenAI chat/completions/embeddings. NewAPI's synthesized usage chunk also carries zeroed
    // Responses-style keys (`input_tokens: 0`, ...), which must not win over these.
    return compact({
      promptTokens: prompt,
      completionTokens: completion,
      totalTokens: count(usage, 'total_tokens'),
      cacheTokens: count(asObject(field(usage, 'prompt_tokens_details')), 'cached_tokens'),
    });
  }

  const input = count(usage, 'input_tokens');
  const output = count(usage, 'output_tokens');
  const cacheRead = count(usage, 'cache_read_input_tokens');
  const cacheWrite = count(usage, 'cache_creation_input_tokens');
  if (cacheRead !== undefined || cacheWrite !== undefined) {
    // Anthropic: input_tokens excludes the cache reads and writes, and there is no total.
    return compact({
      promptTokens: input === undefined ? undefined : sum(input, cacheRead, cacheWrite),
      completionTokens: output,
      cacheTokens: cacheRead,
      totalTokens: count(usage, 'total_tokens'),
    });
  }
  // OpenAI Responses (input_tokens includes the cached ones), or Anthropic without cache keys.
  return compact({
    promptTokens: input,
    completionTokens: output,
    totalTokens: count(usage, 'total_tokens'),
    cacheTokens: count(asObject(field(usage, 'input_tokens_details')), 'cached_tokens'),
  });
}

/** Gemini's `usageMetadata`; output is candidates + thoughts (as NewAPI bills it). */
function fromGemini(value: unknown): Partial<Usage> | undefined {
  const meta = asObject(value);
  if (meta === undefined) return undefined;
  const candidates = count(meta, 'candidatesTokenCount');
  const thoughts = count(meta, 'thoughtsTokenCount');
  return compact({
    promptTokens: count(meta, 'promptTokenCount'),
    completionTokens: candidates === undefined && thoughts === undefined ? undefined : sum(candidates, thoughts),
    cacheTokens: count(meta, 'cachedContentTokenCount'),
    totalTokens: count(meta, 'totalTokenCount'),
  });
}

/**
 * Reads token usage from one parsed JSON object of any supported shape; undefined when it has
 * none. Looks at `usage` (OpenAI, Responses, Anthropic message and message_delta, NewAPI's
 * synthesized chunk), `usageMetadata` (Gemini), `message.usage` (Anthropic message_start) and
 * `response.usage` (Responses `response.completed` and friends). Never throws.
 */
export function usageFromObject(value: unknown): Partial<Usage> | undefined {
  try {
    const obj = asObject(value);
    if (obj === undefined) return undefined;
    return (
      fromUsageBlock(field(obj, 'usage')) ??
      fromGemini(field(obj, 'usageMetadata')) ??
      fromUsageBlock(field(asObject(field(obj, 'message')), 'usage')) ??
      fromUsageBlock(field(asObject(field(obj, 'response')), 'usage')) ??
      fromGemini(field(asObject(field(obj, 'response')), 'usageMetadata'))
    );
  } catch {
    return undefined;
  }
}

/**
 * Later partial usages fill in or replace earlier fields (Anthropic: message_start gives input,
 * message_delta gives output). A later report of prompt or completion tokens without a total
 * drops the earlier total, which no longer matches; `completeUsage` then recomputes it.
 * Pure: returns a new object (or undefined when neither side has any field).
 */
export function mergeUsage(
  into: Partial<Usage> | undefined,
  next: Partial<Usage> | undefined,
): Partial<Usage> | undefined {
  const base = into === undefined ? undefined : compact(into);
  const update = next === undefined ? undefined : compact(next);
  if (update === undefined) return base;
  if (base === undefined) return update;
  const out: Partial<Usage> = { ...base, ...update };
  if (
    update.totalTokens === undefined &&
    (update.promptTokens !== undefined || update.completionTokens !== undefined)
  ) {
    delete out.totalTokens;
  }
  return out;
}

/** Fills totals (prompt + completion when total is missing) and zeros; undefined when empty. */
export function completeUsage(partial: Partial<Usage> | undefined): Usage | undefined {
  const usage = partial === undefined ? undefined : compact(partial);
  if (usage === undefined) return undefined;
  const promptTokens = usage.promptTokens ?? 0;
  const completionTokens = usage.completionTokens ?? 0;
  return {
    promptTokens,
    completionTokens,
    cacheTokens: usage.cacheTokens ?? 0,
    totalTokens: usage.totalTokens ?? promptTokens + completionTokens,
  };
}

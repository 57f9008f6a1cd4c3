/**
 * Finds the requested model without changing the body: the JSON `model` field, or a multipart
 * form's `model` field. Returns undefined when the body has none; `invalid` when it cannot be read.
 */
export type ModelLookup = { model: string | undefined } | { invalid: string };

export function modelFromJson(body: Buffer): ModelLookup {
  if (body.length === 0) return { model: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { invalid: 'the request body is not valid JSON' };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { invalid: 'the request body must be a JSON object' };
  }
  const model = (parsed as { model?: unknown }).model;
  if (model === undefined || model === null || model === '') return { model: undefined };
  if (typeof model !== 'string') return { invalid: 'model must be a string' };
  return { model };
}

/** Reads the `model` part of a multipart/form-data body. */
export function modelFromMultipart(body: Buffer, contentType: string): ModelLookup {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2]?.trim();
  if (!marker) return { invalid: 'the multipart body has no boundary' };
  const delimiter = Buffer.from(`--${marker}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    const part = body.subarray(start + delimiter.length, next === -1 ? body.length : next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      if (/content-disposition:[^\r\n]*\bname="model"/i.test(headers)) {
        const value = part
          .subarray(headerEnd + 4)
          .toString('utf8')
          .replace(/\r\n$/, '')
          .trim();
        return { model: value || undefined };
      }
    }
    start = next;
  }
  return { model: undefined };
}

/** Request body decoding for the relay (new-api `getModelRequest`: JSON, form or multipart by Content-Type). */

export type ParsedBody =
  { ok: true; json: Record<string, unknown>; fields: Record<string, string> } | { ok: false; error: string };

/** The `name` → value map of the non-file fields of a multipart/form-data body. */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string> {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2]?.trim();
  const fields: Record<string, string> = {};
  if (!boundary) return fields;
  // latin1 keeps one char per byte, so binary parts survive slicing.
  const raw = body.toString('latin1');
  for (const part of raw.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break;
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined || /\bfilename=/i.test(disposition)) continue;
    const value = part.slice(headerEnd + 4).replace(/\r\n$/, '');
    fields[name] = Buffer.from(value, 'latin1').toString('utf8');
  }
  return fields;
}

export function parseRelayBody(body: Buffer, contentType: string): ParsedBody {
  const type = contentType.toLowerCase();
  if (type.startsWith('multipart/form-data')) return { ok: true, json: {}, fields: parseMultipart(body, contentType) };
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return { ok: true, json: {}, fields: Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, error: 'json: cannot unmarshal into Go value of type dto.GeneralOpenAIRequest' };
    }
    const json = value as Record<string, unknown>;
    return { ok: true, json, fields: typeof json.model === 'string' ? { model: json.model } : {} };
  } catch {
    return { ok: false, error: body.length === 0 ? 'unexpected end of JSON input' : 'invalid character in JSON body' };
  }
}

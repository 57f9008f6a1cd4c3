import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: Buffer;
}

/** A request with exactly these header names, values and order, and these body bytes. */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Array<[string, string]>,
  body?: Buffer,
): Promise<RawResponse> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    // An object keeps the insertion order and spelling of the names; Node then frames the body by Content-Length.
    const all: Record<string, string> = Object.fromEntries(headers);
    if (body) all['Content-Length'] = String(body.length);
    const req = request(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers: all },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

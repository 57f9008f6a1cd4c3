// The "raw proxy" contender: the least a Node pass-through can do (node:http in, undici out, no parsing).
// Usage: node bench/raw-proxy.mjs <port> <upstream origin>   (prints "ready <port>")
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

const [port, origin] = [Number(process.argv[2] ?? 0), process.argv[3]];
const dispatcher = new Agent({ connections: 1024, keepAliveTimeout: 60_000, pipelining: 1 });
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);

const server = createServer(async (req, res) => {
  try {
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k)) headers[k] = v;
    const parts = [];
    for await (const chunk of req) parts.push(chunk);
    const up = await request(origin + req.url, { method: req.method, headers, body: Buffer.concat(parts), dispatcher });
    const out = {};
    for (const [k, v] of Object.entries(up.headers)) if (!HOP.has(k) && k !== 'content-length') out[k] = v;
    res.writeHead(up.statusCode, out);
    for await (const chunk of up.body) res.write(chunk);
    res.end();
  } catch (error) {
    if (!res.headersSent) res.writeHead(502).end(String(error));
    else res.destroy();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => console.log(`ready ${server.address().port}`));

// Starts each contender on 127.0.0.1 and says how to call it: { name, base, headers }.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCESS_TOKEN, SK_KEY, USER_ID, answers, freePort, start } from './lib.mjs';

const bench = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(bench);
const upstreamAuth = { authorization: `Bearer sk-${SK_KEY}` };
const temps = [];
export const cleanTemps = () => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
const tempDir = (prefix) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

/** A fake upstream process: { url, child }. `port` may be chosen beforehand (the sync scenario starts it late). */
export async function fakeProcess({ chunks, gapMs, models = 1, tokens = 1, port }) {
  port ??= await freePort();
  const args = [path.join(bench, 'fake-upstream.mjs'), port, chunks, gapMs, models, tokens];
  const { child } = await start('fake upstream', process.execPath, args, {
    ready: () => answers(`http://127.0.0.1:${port}/api/status`),
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

export async function startFake(options) {
  return (await fakeProcess(options)).url;
}

export function direct(fake) {
  return { name: 'direct', base: fake, headers: upstreamAuth };
}

export async function rawProxy(fake) {
  const port = await freePort();
  await start('raw proxy', process.execPath, [path.join(bench, 'raw-proxy.mjs'), port, fake], {
    ready: () => answers(`http://127.0.0.1:${port}/`),
  });
  return { name: 'raw proxy', base: `http://127.0.0.1:${port}`, headers: upstreamAuth };
}

async function api(base, method, url, body, cookie) {
  const response = await fetch(base + url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
    body: body && JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok || json.success === false)
    throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
  return {
    json,
    cookie: response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
  };
}

/**
 * A gateway of its own, logged in as root: { base, child, dbPath, call(method, url, body), readyAt }. `dbPath` reuses a
 * database (the log-page scenario fills one, then starts a gateway on it); `nodeArgs` are extra node flags, e.g.
 * `--cpu-prof` to see where a scenario's time goes (the profile is written on a graceful exit: `terminate`);
 * `readyPollMs` how often /readyz is asked while it starts (the sync scenario times from it); `workers` > 1 runs it as
 * a cluster (`WORKERS`), whose workers share the port.
 */
export async function startGateway({ dbPath, nodeArgs = [], readyPollMs = 100, workers = 1 } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  dbPath ??= path.join(tempDir('ga-bench-'), 'bench.db');
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    SQLITE_PATH: dbPath,
    LOG_LEVEL: 'warn',
    API_RATE_LIMIT: '0',
    LOGIN_RATE_LIMIT: '0',
    NODE_ENV: 'production',
    WORKERS: String(workers),
  };
  const { child } = await start('gateway', process.execPath, [...nodeArgs, path.join(root, 'server/dist/main.js')], {
    cwd: root,
    env,
    ready: async () => (await fetch(`${base}/readyz`)).ok,
    pollMs: readyPollMs,
  });
  const readyAt = performance.now();
  const { cookie } = await api(base, 'POST', '/api/user/login', { username: 'root', password: '123456' });
  const call = async (method, url, body) => (await api(base, method, url, body, cookie)).json;
  return { base, child, dbPath, call, readyAt };
}

export const addProvider = (gw, name, baseUrl) =>
  gw.call('POST', '/api/provider/', { name, base_url: baseUrl, access_token: ACCESS_TOKEN, user_id: USER_ID });

/** The gateway contender: one provider (the fake), synced, and an `ag-` token to call it with. */
export async function gateway(fake, options = {}) {
  const gw = await startGateway(options);
  const provider = await addProvider(gw, 'fake', fake);
  const report = await gw.call('POST', `/api/provider/${provider.data.id}/sync`);
  if (!report.data.ok) throw new Error(`gateway sync failed: ${JSON.stringify(report)}`);
  const token = await gw.call('POST', '/api/agg-token/', { name: 'bench' });
  const name = (options.workers ?? 1) > 1 ? `gateway ${options.workers} workers` : 'gateway';
  return { ...gw, name, headers: { authorization: `Bearer ${token.data.key}` } };
}

export async function portkey(fake) {
  const dir = path.join(bench, 'peers/node_modules/@portkey-ai/gateway/build/start-server.js');
  if (!existsSync(dir)) throw new Error('Portkey is not installed (bench/peers)');
  const port = await freePort();
  await start('portkey', process.execPath, [dir, `--port=${port}`, '--headless'], {
    cwd: path.join(bench, 'peers'),
    ready: () => answers(`http://127.0.0.1:${port}/`),
  });
  return {
    name: 'portkey',
    base: `http://127.0.0.1:${port}`,
    headers: { ...upstreamAuth, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${fake}/v1` },
  };
}

export async function nginx(fake, bin) {
  const dir = tempDir('nginx-bench-');
  const port = await freePort();
  const conf = `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream fake { server ${new URL(fake).host}; keepalive 512; }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://fake; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
  }
}`;
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  await start('nginx', bin, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    ready: () => answers(`http://127.0.0.1:${port}/`),
  });
  return { name: 'nginx', base: `http://127.0.0.1:${port}`, headers: upstreamAuth };
}

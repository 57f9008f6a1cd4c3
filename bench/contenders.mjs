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

export async function startFake({ chunks, gapMs }) {
  const port = await freePort();
  await start('fake upstream', process.execPath, [path.join(bench, 'fake-upstream.mjs'), port, chunks, gapMs], {
    ready: () => answers(`http://127.0.0.1:${port}/api/status`),
  });
  return `http://127.0.0.1:${port}`;
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

export async function gateway(fake) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    SQLITE_PATH: path.join(tempDir('ga-bench-'), 'bench.db'),
    LOG_LEVEL: 'warn',
    API_RATE_LIMIT: '0',
    LOGIN_RATE_LIMIT: '0',
    NODE_ENV: 'production',
  };
  await start('gateway', process.execPath, [path.join(root, 'server/dist/main.js')], {
    cwd: root,
    env,
    ready: async () => (await fetch(`${base}/readyz`)).ok,
  });
  const { cookie } = await api(base, 'POST', '/api/user/login', { username: 'root', password: '123456' });
  const provider = await api(
    base,
    'POST',
    '/api/provider/',
    { name: 'fake', base_url: fake, access_token: ACCESS_TOKEN, user_id: USER_ID },
    cookie,
  );
  const report = await api(base, 'POST', `/api/provider/${provider.json.data.id}/sync`, undefined, cookie);
  if (!report.json.data.ok) throw new Error(`gateway sync failed: ${JSON.stringify(report.json)}`);
  const token = await api(base, 'POST', '/api/agg-token/', { name: 'bench' }, cookie);
  return { name: 'gateway', base, headers: { authorization: `Bearer ${token.json.data.key}` } };
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

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { MAIN_JS } from './app.js';

export interface GatewayProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts the compiled gateway as `npm start` would, on a free port, and waits until it answers. */
export async function startGatewayProcess(env: Record<string, string>, cwd: string): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN_JS, '--port', String(port)], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const gateway = { child, port, output: () => output, exited };
  await waitUntilReady(gateway);
  return gateway;
}

async function waitUntilReady(gateway: GatewayProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void gateway.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`gateway exited with ${exitCode}:\n${gateway.output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${gateway.port}/api/status`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  gateway.child.kill('SIGKILL');
  throw new Error(`gateway did not become ready in ${timeoutMs} ms:\n${gateway.output()}`);
}

export async function stopGatewayProcess(gateway: GatewayProcess): Promise<number | null> {
  gateway.child.kill('SIGTERM');
  return gateway.exited;
}

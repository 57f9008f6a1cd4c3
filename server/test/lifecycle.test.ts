import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/databases.js';
import { startTestApp } from './helpers/app.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('sqlite');
});
afterAll(() => database.drop());

const LOGIN_BODY = JSON.stringify({ username: 'root', password: '123456' });

/** Sends a login request's head and half its body, so the request is in flight until `finish`. */
async function startSlowLogin(
  port: number,
): Promise<{ socket: Socket; finish: () => void; response: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const half = Math.floor(LOGIN_BODY.length / 2);
  socket.write(
    `POST /api/user/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${LOGIN_BODY.length}\r\n\r\n${LOGIN_BODY.slice(0, half)}`,
  );
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const response = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  socket.on('error', () => undefined);
  return { socket, finish: () => socket.write(LOGIN_BODY.slice(half)), response };
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = connect(port, '127.0.0.1');
    probe.once('connect', () => (probe.destroy(), resolve(true)));
    probe.once('error', () => resolve(false));
  });

describe('graceful shutdown', () => {
  it('stops accepting, finishes the request in flight, then closes the database', async () => {
    const app = await startTestApp(database);
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.server.address() as { port: number };
    const slow = await startSlowLogin(port);
    await new Promise((resolve) => setTimeout(resolve, 50));

    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await canConnect(port)).toBe(false);
    expect(closed).toBe(false);

    slow.finish();
    const response = await slow.response;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain('"username":"root"');
    await closing;
    await expect(app.db.selectFrom('users').selectAll().execute()).rejects.toThrow();
  });

  it('cuts a request that never finishes once the shutdown timeout passes', async () => {
    const app = await startTestApp(database, {}, { shutdownTimeoutMs: 300 });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.server.address() as { port: number };
    const stuck = await startSlowLogin(port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stuck.socket.destroyed || (await stuck.response) !== undefined).toBe(true);
  });
});

import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import type { TestDatabase } from './databases.js';

export interface TestApp extends App {
  /** Every line the app logged, for asserting that no secret was written. */
  logs: string[];
  /** Every SQL statement the app ran, in order. */
  queries: string[];
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Logs in and returns the session cookie header to send with later requests. */
  login(username: string, password: string): Promise<string>;
}

export async function startTestApp(
  database: TestDatabase,
  env: Record<string, string> = {},
  overrides: Partial<Config> = {},
): Promise<TestApp> {
  const config = Object.freeze({
    ...loadConfig({ API_RATE_LIMIT: '0', LOGIN_RATE_LIMIT: '0', SHUTDOWN_TIMEOUT: '2', ...env }),
    database: database.config,
    ...overrides,
  });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const queries: string[] = [];
  const app = await buildApp(config, {
    logger: createLogger({ level: 'debug', stream }),
    onQuery: (sql) => queries.push(sql),
  });
  const request = (options: InjectOptions) => app.server.inject(options);
  return {
    ...app,
    logs,
    queries,
    request,
    async login(username, password) {
      const response = await request({ method: 'POST', url: '/api/user/login', payload: { username, password } });
      if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === 'session');
      if (!cookie) throw new Error('login set no session cookie');
      return `session=${cookie.value}`;
    },
  };
}

/** The compiled entry point that `npm start` runs; the global setup builds it. */
export const MAIN_JS = new URL('../../dist/main.js', import.meta.url).pathname;

import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A key prefix no other test file uses, for tests that share the one Redis. */
export const uniquePrefix = (label: string): string => `ga:test:${label}:${randomBytes(4).toString('hex')}:`;

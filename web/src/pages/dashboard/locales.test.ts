import { describe, expect, it } from 'vitest';
import dashboard from '../../i18n/locales/dashboard.js';
import logs from '../../i18n/locales/logs.js';

type Tree = { [key: string]: string | Tree };
const keys = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );

describe('dashboard and logs texts', () => {
  it.each([
    ['dashboard', dashboard],
    ['logs', logs],
  ])('%s has the same keys in Chinese and English, none empty', (_name, part) => {
    expect(keys(part.en).sort()).toEqual(keys(part.zh).sort());
    const values = [part.zh, part.en].flatMap((tree) => keys(tree));
    expect(values.length).toBeGreaterThan(0);
    for (const language of [part.zh, part.en] as Tree[]) {
      for (const key of keys(language)) {
        const value = key
          .split('.')
          .reduce<string | Tree | undefined>((node, k) => (typeof node === 'object' ? node[k] : undefined), language);
        expect(value, key).toBeTruthy();
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import providers from '../../i18n/locales/providers.js';
import routes from '../../i18n/locales/routes.js';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree)
    .flatMap(([key, value]) => (typeof value === 'string' ? [prefix + key] : keys(value, `${prefix}${key}.`)))
    .sort();
}

describe('providers and routes texts', () => {
  it.each([
    ['providers', providers],
    ['routes', routes],
  ])('%s has the same keys in Chinese and English, none empty', (_, part) => {
    expect(keys(part.en)).toEqual(keys(part.zh));
    const values = (tree: Tree): string[] =>
      Object.values(tree).flatMap((value) => (typeof value === 'string' ? [value] : values(value)));
    expect(values(part.zh).filter((text) => !text.trim())).toEqual([]);
    expect(values(part.en).filter((text) => !text.trim())).toEqual([]);
  });
});

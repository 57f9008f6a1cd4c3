import common from './common.js';
import dashboard from './dashboard.js';
import logs from './logs.js';
import providers from './providers.js';
import routes from './routes.js';
import settings from './settings.js';
import tokens from './tokens.js';
import users from './users.js';

/** Each page owns its texts in its own file: `{ zh: {...}, en: {...} }` under the page's key. */
const parts = { common, dashboard, logs, providers, routes, settings, tokens, users };

type Tree = { [key: string]: string | Tree };
const pick = (language: 'zh' | 'en'): Tree =>
  Object.fromEntries(Object.entries(parts).map(([name, part]) => [name, part[language]]));

export const locales = { zh: pick('zh'), en: pick('en') };

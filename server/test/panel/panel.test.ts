import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeNewApi } from '../fake-newapi/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { unavailableReason } from '../helpers/matrix.js';

const reason = unavailableReason('chromium');

/**
 * The panel's main path in a real browser, against a real gateway and a fake NewAPI upstream:
 * log in → add a provider → sync → see its routes → create a token → call the relay → see the
 * call in the logs and on the dashboard → switch to English. Screenshots go to screenshots/.
 */
describe.skipIf(reason !== null)(`admin panel in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let database: TestDatabase;
  let app: TestApp;
  let fake: FakeNewApi;
  let browser: Browser;
  let page: Page;
  let base: string;
  let agKey = '';

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    fake = await FakeNewApi.start({ quota: 7_500_000 });
    app = await startTestApp(database);
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.server.address() as { port: number }).port}`;
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await fake?.close();
    await database?.drop();
  });

  const byTestId = (id: string) => page.getByTestId(id);

  it('sends a visitor to the login page and logs root in, showing the first-run banner', async () => {
    await page.goto(`${base}/providers`);
    await page.waitForURL(/\/login/);
    await screenshot(page, '01-login');
    await page.getByLabel('用户名').fill('root');
    await page.getByLabel('密码').fill('123456');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/providers/);
    await expect.poll(() => byTestId('default-password-banner').isVisible()).toBe(true);
  });

  it('adds a provider and syncs it, showing the per-step report', async () => {
    await byTestId('provider-add').click();
    await byTestId('provider-form-name').fill('Provider-A');
    await byTestId('provider-form-base_url').fill(fake.url);
    await byTestId('provider-form-access_token').fill(fake.state.accessToken);
    await byTestId('provider-form-user_id').fill(String(fake.state.userId));
    await byTestId('provider-form-submit').click();
    const row = byTestId('provider-row-Provider-A');
    await row.waitFor();
    await row.getByTestId('provider-sync').click();
    await byTestId('provider-sync-report').waitFor();
    await expect.poll(() => byTestId('provider-sync-report').innerText()).toMatch(/价格/);
    await screenshot(page, '02-providers');
    await screenshot(page, '02-providers');
    const providers = await app.db.selectFrom('providers').select(['name', 'balance_usd']).execute();
    expect(providers).toEqual([{ name: 'Provider-A', balance_usd: 15 }]);
  });

  it('shows the provider detail on a deep link that survives a reload', async () => {
    const { id } = await app.db.selectFrom('providers').select('id').executeTakeFirstOrThrow();
    await page.goto(`${base}/providers/${id}`);
    await page.reload();
    await expect.poll(() => page.getByText('Provider-A').first().isVisible()).toBe(true);
    await screenshot(page, '03-provider-detail');
  });

  it('lists the synced routes by model', async () => {
    await page.goto(`${base}/routes`);
    await byTestId('routes-model-gpt-4o').waitFor();
    await screenshot(page, '04-routes');
  });

  it('creates a token, shows its full key once, and the relay accepts it', async () => {
    await page.goto(`${base}/tokens`);
    await byTestId('token-add').click();
    await byTestId('token-form-name').fill('e2e');
    await byTestId('token-form-submit').click();
    const keyElement = byTestId('token-created-key');
    await keyElement.waitFor();
    agKey = (await keyElement.innerText()).trim();
    expect(agKey).toMatch(/^ag-[0-9A-Za-z]{48}$/);
    await screenshot(page, '05-token-created');
    await byTestId('token-created-close').click();
    await byTestId('token-row-e2e').waitFor();

    const response = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'from the panel test' }] }),
    });
    expect(response.status).toBe(200);
    await app.services.usageWriter.flush();
  });

  it('shows the call in the logs, with its detail', async () => {
    await page.goto(`${base}/logs`);
    const table = byTestId('logs-table');
    await table.waitFor();
    await expect.poll(() => table.innerText()).toContain('gpt-4o');
    const { request_id } = await app.db.selectFrom('usage_logs').select('request_id').executeTakeFirstOrThrow();
    await byTestId(`logs-row-${request_id}`).click();
    await byTestId('logs-detail').waitFor();
    await page.waitForTimeout(400); // the drawer slides in
    await screenshot(page, '06-logs');
  });

  it('counts the call on the dashboard', async () => {
    await page.goto(`${base}/dashboard`);
    await expect.poll(async () => Number(await byTestId('dashboard-total-requests').innerText())).toBe(1);
    await screenshot(page, '07-dashboard');
  });

  it('shows the users and settings pages', async () => {
    await page.goto(`${base}/users`);
    await expect.poll(() => page.getByText('root').first().isVisible()).toBe(true);
    await screenshot(page, '08-users');
    await page.goto(`${base}/settings`);
    await byTestId('settings-display-name').waitFor();
    await screenshot(page, '09-settings');
  });

  it('switches to English and remembers it across a reload', async () => {
    await page.goto(`${base}/dashboard`);
    await expect.poll(() => page.getByRole('menuitem', { name: /仪表盘/ }).isVisible()).toBe(true);
    await byTestId('language-switch').click();
    await expect.poll(() => page.getByRole('menuitem', { name: /Dashboard/ }).isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByRole('menuitem', { name: /Providers/ }).isVisible()).toBe(true);
    await screenshot(page, '10-dashboard-en');
  });

  it('serves hashed assets for a year and the page never from cache', async () => {
    const index = await fetch(`${base}/tokens`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const asset = /\/assets\/[^"]+\.js/.exec(await index.text())?.[0];
    expect(asset).toBeDefined();
    const script = await fetch(`${base}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('immutable');
  });
});

import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import type { FakeNewApi } from '../fake-newapi/index.js';

export interface Admin {
  app: TestApp;
  cookie: string;
}

export async function api<T = unknown>(
  admin: Admin,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<{ status: number; body: { success: boolean; message: string; code?: string; data: T } }> {
  const response = await admin.app.request({
    method,
    url,
    headers: { cookie: admin.cookie },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return { status: response.statusCode, body: response.json() };
}

/** Adds a provider for a fake upstream and waits for the sync its creation starts. */
export async function addProvider(
  admin: Admin,
  fake: FakeNewApi,
  patch: Record<string, unknown> = {},
): Promise<number> {
  const created = await api<{ id: number }>(admin, 'POST', '/api/provider/', {
    name: `provider-${fake.port}`,
    base_url: fake.url,
    access_token: fake.state.accessToken,
    user_id: fake.state.userId,
    ...patch,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const id = created.body.data.id;
  await admin.app.services.sync.sync(id); // joins the sync the creation started
  return id;
}

export function sync(admin: Admin, id: number) {
  return api<{
    ok: boolean;
    steps: Array<{ step: string; ok: boolean; error?: string; counts: Record<string, number> }>;
  }>(admin, 'POST', `/api/provider/${id}/sync`);
}

export function stepOf(
  report: { steps: Array<{ step: string; ok: boolean; error?: string; counts: Record<string, number> }> },
  step: string,
) {
  const found = report.steps.find((s) => s.step === step);
  if (!found) throw new Error(`no ${step} step in the report`);
  return found;
}

/** A snapshot of what the database holds for a provider, to compare before and after a failure. */
export async function storedState(admin: Admin, providerId: number) {
  const db = admin.app.db;
  const [pricing, tokens, routes, provider] = await Promise.all([
    db.selectFrom('model_pricings').selectAll().where('provider_id', '=', providerId).orderBy('model_name').execute(),
    db
      .selectFrom('provider_tokens')
      .selectAll()
      .where('provider_id', '=', providerId)
      .orderBy('upstream_token_id')
      .execute(),
    db.selectFrom('model_routes').selectAll().where('provider_id', '=', providerId).orderBy('id').execute(),
    db.selectFrom('providers').selectAll().where('id', '=', providerId).executeTakeFirstOrThrow(),
  ]);
  return {
    pricing: pricing.map(({ last_synced_at: _ignored, ...rest }) => rest),
    tokens: tokens.map(({ last_synced_at: _ignored, ...rest }) => rest),
    routes,
    balance: provider.balance_usd,
    groupRatios: provider.group_ratios,
  };
}

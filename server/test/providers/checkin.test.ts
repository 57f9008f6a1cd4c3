import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeNewApi } from '../fake-newapi/index.js';
import { startTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/matrix.js';
import { addProvider, api, type Admin } from './helpers.js';

interface CheckinResult {
  status: string;
  message: string;
  quota_awarded?: number;
  at: number;
}

describeEachDatabase('daily check-in', (database) => {
  let admin: Admin;
  const fakes: FakeNewApi[] = [];

  beforeAll(async () => {
    const app = await startTestApp(database());
    admin = { app, cookie: await app.login('root', '123456') };
  });
  afterAll(async () => {
    await admin.app.close();
    await Promise.all(fakes.map((fake) => fake.close()));
  });

  const provider = async (checkin: 'enabled' | 'disabled' | 'absent', name: string) => {
    const fake = await FakeNewApi.start({ checkin, checkinQuota: 4321, quota: 500_000 });
    fakes.push(fake);
    return { fake, id: await addProvider(admin, fake, { name, checkin_enabled: true }) };
  };
  const checkin = (id: number) => api<CheckinResult>(admin, 'POST', `/api/provider/${id}/checkin`);
  const stored = async (id: number) =>
    (
      await api<{ last_checkin_at: number; last_checkin_result: CheckinResult | null }>(
        admin,
        'GET',
        `/api/provider/${id}`,
      )
    ).body.data;

  it('records a successful check-in, then "already checked in" as done too', async () => {
    const { fake, id } = await provider('enabled', 'checks-in');
    const first = await checkin(id);
    expect(first.body.data).toMatchObject({ status: 'done', message: '签到成功', quota_awarded: 4321 });
    expect(fake.checkedInToday()).toBe(true);
    const state = await stored(id);
    expect(state.last_checkin_at).toBeGreaterThan(0);
    expect(state.last_checkin_result).toMatchObject({ status: 'done' });

    const second = await checkin(id);
    expect(second.body.data).toMatchObject({ status: 'already', message: '今日已签到' });
    expect((await stored(id)).last_checkin_result).toMatchObject({ status: 'already' });
  });

  it('records "not enabled" and an upstream without check-in, and does not ask again today', async () => {
    const disabled = await provider('disabled', 'no-checkin');
    const absent = await provider('absent', 'old-build');
    expect((await checkin(disabled.id)).body.data).toMatchObject({ status: 'disabled', message: '签到功能未启用' });
    expect((await checkin(absent.id)).body.data).toMatchObject({ status: 'unsupported' });
    const calls = () =>
      disabled.fake.requestsTo('POST', '/api/user/checkin').length +
      absent.fake.requestsTo('POST', '/api/user/checkin').length;
    const before = calls();
    await admin.app.services.checkin.runDue();
    expect(calls()).toBe(before);
  });

  it('records a failure without marking the day done, so the next run retries', async () => {
    const { fake, id } = await provider('enabled', 'flaky');
    fake.addFault({ method: 'POST', path: '/api/user/checkin', fault: { kind: 'status', status: 502 }, times: 1 });
    const failed = await checkin(id);
    expect(failed.body.data).toMatchObject({ status: 'failed', message: expect.stringContaining('502') });
    expect((await stored(id)).last_checkin_at).toBe(0);
    await admin.app.services.checkin.runDue();
    expect((await stored(id)).last_checkin_result).toMatchObject({ status: 'done' });
    expect(fake.checkedInToday()).toBe(true);
  });

  it('checks in only providers that want it and have not settled today', async () => {
    const fake = await FakeNewApi.start({ checkin: 'enabled' });
    fakes.push(fake);
    await addProvider(admin, fake, { name: 'opted-out', checkin_enabled: false });
    const due = await admin.app.services.checkin.runDue();
    expect(due).toBe(0);
    expect(fake.requestsTo('POST', '/api/user/checkin')).toHaveLength(0);
  });
});

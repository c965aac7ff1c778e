import { createEconomy, type Tenant } from '@guildmint/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { ProfileRecorder } from './profiles.js';

const economy = createEconomy({ storage: ':memory:' });
afterAll(() => economy.close());

describe('ProfileRecorder', () => {
  it('sends a profile to the SDK only when it changed since this process recorded it', async () => {
    await economy.migrate();
    const real = economy.tenant('profiles');
    const sent: string[] = [];
    // The real tenant, with a note of each call that reaches it.
    const tenant = {
      id: real.id,
      recordMember: (userId, profile) => {
        sent.push(`${userId} ${profile.name} ${profile.avatar}`);
        return real.recordMember(userId, profile);
      },
    } as Pick<Tenant, 'id' | 'recordMember'> as Tenant;
    const recorder = new ProfileRecorder();
    await recorder.record(tenant, '1', { name: 'Ada', avatar: null });
    await recorder.record(tenant, '1', { name: 'Ada', avatar: null });
    await recorder.record(tenant, '2', { name: 'Bo', avatar: null });
    await recorder.record(tenant, '1', { name: 'Ada', avatar: 'https://cdn.discordapp.com/avatars/1/x.png' });
    expect(sent).toEqual(['1 Ada null', '2 Bo null', '1 Ada https://cdn.discordapp.com/avatars/1/x.png']);
    await real.grant('1', 5n, { reason: 'so the member is listed' });
    expect((await real.members()).members).toEqual([
      { userId: '1', balance: 5n, name: 'Ada', avatar: 'https://cdn.discordapp.com/avatars/1/x.png' },
    ]);
  });

  it('forgets nothing it failed to record: the next interaction tries again', async () => {
    const real = economy.tenant('profiles-fail');
    let fail = true;
    const tenant = {
      id: real.id,
      recordMember: (userId, profile) =>
        fail ? Promise.reject(new Error('store down')) : real.recordMember(userId, profile),
    } as Pick<Tenant, 'id' | 'recordMember'> as Tenant;
    const recorder = new ProfileRecorder();
    await expect(recorder.record(tenant, '1', { name: 'Ada', avatar: null })).rejects.toThrow('store down');
    fail = false;
    await recorder.record(tenant, '1', { name: 'Ada', avatar: null });
    await real.grant('1', 1n, { reason: 'listed' });
    expect((await real.members()).members[0]?.name).toBe('Ada');
  });
});

import { createEconomy, defineEconomy, type Economy, presets } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Rig, said, startRig, waitForEvent } from './support/harness.js';

// Issue 14 §8: every admin action reaches the log channel once, whichever process did it — here the
// runtime's own /eco and a second economy handle on the same store (what the control plane, the public
// API and the operator CLI are) — anomalies too, and a restarted runtime neither reposts nor skips.

/** The lines of every log post in the guild's channel, in order. */
function logLines(rig: Rig): string[] {
  return rig.sim
    .messages(rig.guild.channelId)
    .filter((m) => m.embeds[0]?.title === '📒 Economy log')
    .flatMap((m) => (m.embeds[0]?.description ?? '').split('\n'));
}

/** Waits for the runtime to follow the guild's audit log (it does on each sweep, and after /eco). */
const followed = (rig: Rig) => waitForEvent(rig.runtime, 'auditFollowed', (e) => e.guildId === rig.guild.id);

describe('end to end: admin actions from anywhere in the log channel', () => {
  let rig: Rig;
  /** Another process's view of the same economy: the control plane, the API, the CLI. */
  let elsewhere: Economy;

  beforeAll(async () => {
    rig = await startRig({ runtime: { sweepIntervalMs: 100 } });
    elsewhere = createEconomy({ storage: rig.options.storage! });
    await elsewhere.tenant(rig.guild.id).configure(
      defineEconomy({
        ...presets.classic,
        logChannel: { enabled: true, channelId: rig.guild.channelId, maxPostsPerMinute: 30 },
      }),
      { actor: rig.admin },
    );
    await vi.waitFor(() => expect(logLines(rig)).toEqual([`⚙️ <@${rig.admin}> published config version 1`]), {
      timeout: 10_000,
    });
  });
  afterAll(async () => {
    await elsewhere?.close();
    await rig?.close();
  });

  it('posts a grant, a freeze and an unfreeze done by another process, once each', async () => {
    const other = elsewhere.tenant(rig.guild.id);
    await other.grant(rig.alice, 1_500n, { reason: 'contest prize', actor: 'api-key:gm_test' });
    await other.freeze(rig.bob, { reason: 'looks like a bot', actor: rig.admin });
    await other.unfreeze(rig.bob, { reason: 'a person after all', actor: rig.admin });
    await vi.waitFor(() => expect(logLines(rig)).toHaveLength(4), { timeout: 10_000 });
    expect(logLines(rig).slice(1)).toEqual([
      `🛡️ API key \`gm_test\` granted **🪙 1,500** to <@${rig.alice}> — contest prize`,
      `🧊 <@${rig.admin}> froze <@${rig.bob}>'s wallet — looks like a bot`,
      `🛡️ <@${rig.admin}> unfroze <@${rig.bob}>'s wallet — a person after all`,
    ]);
  });

  it('posts the runtime’s own /eco grant once, from the audit log like the rest', async () => {
    const reply = await rig.slash('eco', { member: rig.bob, amount: 250, reason: 'helped out' }, rig.admin, {
      subcommand: 'grant',
    });
    expect(said(reply)).toMatch(/250/);
    const line = `🛡️ <@${rig.admin}> granted **🪙 250** to <@${rig.bob}> — helped out`;
    await vi.waitFor(() => expect(logLines(rig)).toContain(line), { timeout: 10_000 });
    // More sweeps follow the log again: still once.
    await followed(rig);
    await followed(rig);
    expect(logLines(rig).filter((l) => l === line)).toHaveLength(1);
  });

  it('posts an anomaly found in another process’s payments once (circular payments)', async () => {
    const other = elsewhere.tenant(rig.guild.id);
    await other.pay({ from: rig.alice, to: rig.bob, amount: 100n });
    await other.pay({ from: rig.bob, to: rig.alice, amount: 100n });
    const line = `🚨 Circular payments between <@${[rig.alice, rig.bob].sort()[0]}> and <@${[rig.alice, rig.bob].sort()[1]}> (1 round trips)`;
    await vi.waitFor(() => expect(logLines(rig)).toContain(line), { timeout: 10_000 });
    await followed(rig);
    await followed(rig);
    expect(logLines(rig).filter((l) => l === line)).toHaveLength(1);
  });

  it('a restart neither reposts what was posted nor skips what happened while it was down', async () => {
    const before = logLines(rig);
    const balance = await elsewhere.tenant(rig.guild.id).balance(rig.alice);
    await rig.runtime.stop();
    await elsewhere
      .tenant(rig.guild.id)
      .revoke(rig.alice, 500n, { reason: 'while the bot was down', actor: rig.admin });
    await rig.restart();
    const line = `🛡️ <@${rig.admin}> revoked **🪙 500** from <@${rig.alice}> — while the bot was down`;
    await vi.waitFor(() => expect(logLines(rig)).toEqual([...before, line]), { timeout: 10_000 });
    await followed(rig);
    await followed(rig);
    expect(logLines(rig)).toEqual([...before, line]);
    expect(await rig.balance(rig.alice)).toBe(balance - 500n);
  });

  it('two processes following one guild post each action once (the cursor is a compare-and-set)', async () => {
    const other = elsewhere.tenant(rig.guild.id);
    const cursor = await other.logCursor();
    // A second follower that read the same cursor loses the race to the runtime after this grant.
    await other.grant(rig.bob, 10n, { reason: 'race', actor: rig.admin });
    await vi.waitFor(() => expect(logLines(rig).some((l) => l.endsWith('— race'))).toBe(true), {
      timeout: 10_000,
    });
    // The cursor moves once the post went out.
    await vi.waitFor(async () => expect(await other.logCursor()).not.toEqual(cursor), { timeout: 10_000 });
    expect(await other.advanceLogCursor(cursor, { auditId: null, configVersion: 1, anomaliesAt: 0 })).toBe(
      false,
    );
    expect(logLines(rig).filter((l) => l.endsWith('— race'))).toHaveLength(1);
  });

  describe('a stop in the middle of posting (one post a minute, so events wait in the queue)', () => {
    /** Waits until the runtime has queued an admin line for the guild (a follow that found something). */
    const queued = () =>
      waitForEvent(rig.runtime, 'auditFollowed', (e) => e.guildId === rig.guild.id && e.posted > 0);
    const grant = (amount: bigint, reason: string) =>
      elsewhere.tenant(rig.guild.id).grant(rig.bob, amount, { reason, actor: rig.admin });
    const lineOf = (amount: string, reason: string) =>
      `🛡️ <@${rig.admin}> granted **🪙 ${amount}** to <@${rig.bob}> — ${reason}`;
    const count = (line: string) => logLines(rig).filter((l) => l === line).length;

    it('posts what is queued before stopping (the drain), and the next process does not post it again', async () => {
      // Published through the runtime's own handle, which sees it at once (libSQL has no notifications).
      const own = rig.runtime.economy.tenant(rig.guild.id);
      const { version, ...current } = await own.config();
      const waiting = queued();
      await own.configure(
        defineEconomy({ ...current, logChannel: { ...current.logChannel, maxPostsPerMinute: 1 } }),
        { actor: rig.admin },
      );
      await waiting;
      // The last post was a moment ago: this line waits its minute in the queue, and the stop comes first.
      const line = `⚙️ <@${rig.admin}> published config version ${version + 1}`;
      expect(count(line)).toBe(0);
      await rig.runtime.stop();
      expect(count(line)).toBe(1);
      await rig.restart();
      await followed(rig);
      await followed(rig);
      expect(count(line)).toBe(1);
    });

    it('a stop whose posts Discord refuses leaves the cursor where it was: the next process posts them', async () => {
      const first = lineOf('8', 'posted at once');
      await grant(8n, 'posted at once');
      await vi.waitFor(() => expect(count(first)).toBe(1), { timeout: 10_000 });
      const line = lineOf('9', 'refused at the stop');
      const waiting = queued();
      await grant(9n, 'refused at the stop');
      await waiting;
      rig.sim.injectFault({ method: 'POST', path: /\/channels\/\d+\/messages$/, status: 403 });
      await rig.runtime.stop();
      expect(count(line)).toBe(0);
      expect(rig.logs.some((l) => /not posted; the next follow posts it again/.test(l.msg))).toBe(true);
      await rig.restart();
      await vi.waitFor(() => expect(count(line)).toBe(1), { timeout: 10_000 });
      await followed(rig);
      await followed(rig);
      expect(count(line)).toBe(1);
      expect(count(first)).toBe(1);
    });
  });
});

import { expect, it } from 'vitest';
import type { Economy, Transfer } from '../../src/index.js';
import { type ChildMessage, TsChild } from '../conformance/concurrency-child.js';
import { announceSeed, deriveSeed, seededRandom } from '../conformance/concurrency-random.js';
import { readAllTransfers } from '../conformance/concurrency-workload.js';
import { ManualClock } from '../support/clock.js';
import type { StoreTarget } from '../support/stores.js';
import type { RollbackChildConfig } from './rollback-child.js';

/** Where the SIGKILL lands, counted from a message of the child. */
interface KillPoint {
  on: 'start' | 'commit';
  afterMs: number;
}

const SINGLES = 300;
const PAYMENTS = 60;
const BATCHES = 20;
const PURCHASES = 10;
/** What one rollback of the seeded member reverses: every single, payment and batch member; no purchase. */
const REVERSIBLE = SINGLES + PAYMENTS + BATCHES * 3;
const HUNG_MS = 30_000;

/**
 * kill -9 of a process in the middle of `tenant.rollback()`, `kills` times, each on a member of its
 * own: afterwards the rollback is there whole (every reversal and its audit entry) or not at all,
 * `verify()` is ok, and running it again completes it exactly once.
 */
export function describeRollbackCrash(target: StoreTarget, options: { kills: number }): void {
  const seed = announceSeed(`rollback crash (${target.name})`);

  it(`leaves a rollback whole or absent through ${options.kills} SIGKILLs`, {
    timeout: 180_000,
  }, async () => {
    const reports: string[] = [];
    let killedMidway = 0;
    for (let run = 0; run < options.kills; run++) {
      const rng = seededRandom(deriveSeed(seed, `rollback run ${run}`));
      const kill: KillPoint = rng.chance(0.5)
        ? { on: 'start', afterMs: rng.int(0, 40) }
        : { on: 'commit', afterMs: rng.int(0, 400) };
      const tenant = `rbcrash_${process.pid}_${run}`;
      const since = await seedExploit(target, tenant);

      const config: RollbackChildConfig = {
        url: target.url(),
        tenant,
        userId: 'x',
        since: since.toISOString(),
      };
      const child = new TsChild('test/crash/rollback-child.ts', config, { bundle: true });
      const seen: string[] = [];
      let killed = false;
      const killNow = () => {
        if (killed) return;
        killed = true;
        child.kill();
      };
      child.onMessage((message: ChildMessage) => {
        if (message.t === '__exit') return;
        seen.push(message.t);
        if (message.t === kill.on) setTimeout(killNow, kill.afterMs);
      });
      const hung = setTimeout(killNow, HUNG_MS);
      const exit = await child.exited;
      clearTimeout(hung);
      const where = `run ${run} (kill ${kill.afterMs} ms after ${kill.on}, seed ${seed}); messages ${seen.join(',')}; child stderr:\n${child.stderr.slice(-2000)}`;
      expect(seen, where).not.toContain('fatal');
      expect(exit, where).toEqual({ code: null, signal: 'SIGKILL' });
      const done = seen.includes('done');
      if (seen.includes('start') && !done) killedMidway++;

      const economy = target.open();
      try {
        const outcome = await expectWholeOrAbsent(economy, tenant, where);
        if (done) expect(outcome, `${where}\n(the rollback had answered before the kill)`).toBe('whole');
        // As an admin would after a crash: run it again. It completes what is missing, once.
        const again = await economy.tenant(tenant).rollback('x', { since, reason: 'crash test exploit' });
        expect(again, where).toEqual({ reversed: outcome === 'whole' ? 0 : REVERSIBLE });
        expect(await expectWholeOrAbsent(economy, tenant, where, outcome === 'whole' ? 2 : 1)).toBe('whole');
        reports.push(
          `  run ${String(run).padStart(2)}  kill ${String(kill.afterMs).padStart(3)} ms after ${kill.on.padEnd(6)}  ${done ? 'answered' : 'unanswered'}  found ${outcome}`,
        );
      } finally {
        await economy.close();
      }
    }
    console.info(
      `[guildmint] rollback crash (${target.name}): ${options.kills} SIGKILLs\n${reports.join('\n')}`,
    );
    // Kills must land while a rollback is under way, not only once it answered.
    expect(killedMidway).toBeGreaterThanOrEqual(1);
  });
}

/**
 * A member `x` who farmed since a moment: singles in, payments out, batches (one member elsewhere),
 * shop purchases (never refunded), and a grant from before the window (never touched).
 */
async function seedExploit(target: StoreTarget, tenant: string): Promise<Date> {
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const economy = target.open({ clock });
  try {
    const ledger = economy.tenant(tenant).ledger;
    await ledger.transfer({ id: 'before', from: 'faucet:mint', to: 'user:x', amount: 10_000n, code: 'seed' });
    clock.advance(60_000);
    const since = clock.now();
    await Promise.all(
      Array.from({ length: SINGLES }, (_, i) =>
        ledger.transfer({ id: `s${i}`, from: 'faucet:mint', to: 'user:x', amount: 3n, code: 'farm' }),
      ),
    );
    clock.advance(1);
    await Promise.all([
      ...Array.from({ length: PAYMENTS }, (_, i) =>
        ledger.transfer({ id: `p${i}`, from: 'user:x', to: 'user:alt', amount: 2n, code: 'transfer.p2p' }),
      ),
      ...Array.from({ length: PURCHASES }, (_, i) =>
        ledger.transfer({ id: `buy${i}`, from: 'user:x', to: 'sink:shop', amount: 5n, code: 'sink.shop' }),
      ),
      ...Array.from({ length: BATCHES }, (_, i) =>
        ledger.transferAll([
          { id: `b${i}a`, from: 'faucet:mint', to: 'user:x', amount: 4n, code: 'farm' },
          { id: `b${i}b`, from: 'user:x', to: 'sink:tax', amount: 1n, code: 'sink.tax' },
          { id: `b${i}c`, from: 'faucet:mint', to: 'user:other', amount: 1n, code: 'farm' },
        ]),
      ),
    ]);
    return since;
  } finally {
    await economy.close();
  }
}

/** Checks the tenant holds no part of a rollback or exactly `rollbacks` whole ones; says which. */
async function expectWholeOrAbsent(
  economy: Economy,
  tenant: string,
  where: string,
  rollbacks = 1,
): Promise<'whole' | 'absent'> {
  const t = economy.tenant(tenant);
  const transfers = await readAllTransfers(t.ledger);
  const reversals = transfers.filter((tr: Transfer) => tr.reverses !== undefined);
  const audits = (await t.auditLog({ limit: 500 })).filter((e) => e.action === 'rollback');
  expect(await t.ledger.verify(), where).toEqual({ ok: true, problems: [] });
  expect((await t.analytics.rebuild()).differences, `${where}: analytics rollups`).toEqual([]);
  if (reversals.length === 0 && audits.length === 0) return 'absent';
  expect(
    { reversals: reversals.length, distinct: new Set(reversals.map((r) => r.reverses)).size },
    `${where}\n(half a rollback)`,
  ).toEqual({ reversals: REVERSIBLE, distinct: REVERSIBLE });
  expect(
    audits.map((a) => a.details?.reversed),
    where,
  ).toEqual([...Array.from({ length: rollbacks - 1 }, () => 0), REVERSIBLE]);
  return 'whole';
}

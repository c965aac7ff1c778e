import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.js';
import { openTestEconomy, type TestEconomy } from '../policy/testing.js';
import {
  detectAnomalies,
  detectCircular,
  detectNewAccountFeeders,
  detectVelocity,
  median,
  type ScannedTransfer,
  scanAnomalies,
} from './anomalies.js';

let seq = 0;
function tx(
  from: string,
  to: string,
  amount: bigint,
  at: string,
  extra: Partial<ScannedTransfer> = {},
): ScannedTransfer {
  return { id: `t${++seq}`, from, to, amount, code: 'transfer.p2p', createdAt: new Date(at), ...extra };
}
const u = (name: string) => `user:${name}`;
const faucetTo = (name: string, amount: bigint, at = '2026-03-01T10:15:00Z') =>
  tx('faucet:daily', u(name), amount, at, { code: 'faucet.daily' });

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('detectVelocity', () => {
  const typical = [90n, 95n, 100n, 105n, 110n, 100n, 95n, 105n].map((amount, i) => faucetTo(`m${i}`, amount));

  it('flags a member far above the median by MADs, with its busiest hour', () => {
    const flags = detectVelocity([...typical, faucetTo('whale', 10_000n)], 8);
    // median 100, MAD 5: (10000 − 100) / 5 = 1980; m4 at 110 scores only 2.
    expect(flags).toEqual([
      {
        kind: 'velocity',
        accounts: [u('whale')],
        detail: { hour: new Date('2026-03-01T10:00:00Z'), volume: 10_000n, median: 100, mad: 5, score: 1980 },
      },
    ]);
  });

  it('flags nobody when volumes are alike or the threshold is not passed', () => {
    expect(detectVelocity(typical, 8)).toEqual([]);
    // m4 (110) is 2 MADs above the median: flagged at a threshold of 1.5 only.
    expect(detectVelocity(typical, 1.5).map((f) => f.accounts[0])).toEqual([u('m4')]);
    expect(detectVelocity(typical, 2)).toEqual([]);
  });

  it('falls back to the mean absolute deviation when most member-hours are equal', () => {
    const same = Array.from({ length: 9 }, (_, i) => faucetTo(`s${i}`, 100n));
    // median 100, MAD 0; mean deviation 4900 / 10 = 490: the whale scores 10.
    const flags = detectVelocity([...same, faucetTo('whale', 5_000n)], 8);
    expect(flags.map((f) => [f.accounts[0], f.kind === 'velocity' && f.detail.score])).toEqual([
      [u('whale'), 10],
    ]);
    expect(detectVelocity(same, 1)).toEqual([]);
  });

  it('needs enough member-hours to know what is normal', () => {
    const few = [
      faucetTo('a', 100n),
      faucetTo('b', 100n),
      faucetTo('c', 101n),
      faucetTo('whale', 1_000_000n),
    ];
    expect(detectVelocity(few, 1)).toEqual([]);
  });

  it('buckets by clock hour and reports each member once, for its worst hour; counts both sides of a payment', () => {
    const flags = detectVelocity(
      [
        ...typical,
        tx(u('whale'), u('friend'), 3_000n, '2026-03-01T11:05:00Z'),
        tx(u('whale'), u('other'), 6_000n, '2026-03-01T12:59:59Z'),
      ],
      8,
    );
    // median 105, MAD 10: whale and other score 589.5 (ties by name), friend 289.5.
    expect(flags.map((f) => f.accounts[0])).toEqual([u('other'), u('whale'), u('friend')]);
    const whale = flags[1]!;
    expect(whale.kind === 'velocity' && whale.detail.hour).toEqual(new Date('2026-03-01T12:00:00Z'));
  });

  it('ignores reversals and system accounts', () => {
    const reversal = tx('faucet:daily', u('whale'), 10_000n, '2026-03-01T10:20:00Z', {
      code: 'reversal',
      reverses: 'x',
    });
    const houses = tx('house:dice', 'faucet:daily', 1_000_000n, '2026-03-01T10:20:00Z');
    expect(detectVelocity([...typical, reversal, houses], 8)).toEqual([]);
  });
});

describe('detectCircular', () => {
  it('flags A→B answered by B→A within the window (inclusive)', () => {
    const flags = detectCircular(
      [tx(u('b'), u('a'), 40n, '2026-03-01T10:30:00Z'), tx(u('a'), u('b'), 50n, '2026-03-01T10:00:00Z')],
      30,
    );
    expect(flags).toEqual([
      {
        kind: 'circular',
        accounts: [u('a'), u('b')],
        detail: {
          roundTrips: 1,
          returned: 40n,
          firstAt: new Date('2026-03-01T10:00:00Z'),
          lastAt: new Date('2026-03-01T10:30:00Z'),
        },
      },
    ]);
  });

  it('counts every answer in a ping-pong', () => {
    const flags = detectCircular(
      [
        tx(u('a'), u('b'), 10n, '2026-03-01T10:00:00Z'),
        tx(u('b'), u('a'), 10n, '2026-03-01T10:10:00Z'),
        tx(u('a'), u('b'), 10n, '2026-03-01T10:20:00Z'),
      ],
      60,
    );
    expect(flags[0]).toMatchObject({ detail: { roundTrips: 2, returned: 20n } });
  });

  it('does not flag an answer after the window, one-way payments, other pairs or reversals', () => {
    expect(
      detectCircular(
        [tx(u('a'), u('b'), 50n, '2026-03-01T10:00:00Z'), tx(u('b'), u('a'), 50n, '2026-03-01T10:30:01Z')],
        30,
      ),
    ).toEqual([]);
    expect(
      detectCircular(
        [tx(u('a'), u('b'), 50n, '2026-03-01T10:00:00Z'), tx(u('a'), u('b'), 50n, '2026-03-01T10:01:00Z')],
        30,
      ),
    ).toEqual([]);
    expect(
      detectCircular(
        [tx(u('a'), u('b'), 50n, '2026-03-01T10:00:00Z'), tx(u('b'), u('c'), 50n, '2026-03-01T10:01:00Z')],
        30,
      ),
    ).toEqual([]);
    const undo = tx(u('b'), u('a'), 50n, '2026-03-01T10:01:00Z', { code: 'reversal', reverses: 'first' });
    expect(
      detectCircular([tx(u('a'), u('b'), 50n, '2026-03-01T10:00:00Z', { id: 'first' }), undo], 30),
    ).toEqual([]);
  });

  it('ignores round trips through system accounts (a bet and its payout)', () => {
    const flags = detectCircular(
      [
        tx(u('a'), 'house:dice', 50n, '2026-03-01T10:00:00Z'),
        tx('house:dice', u('a'), 90n, '2026-03-01T10:00:01Z'),
      ],
      30,
    );
    expect(flags).toEqual([]);
  });
});

describe('detectNewAccountFeeders', () => {
  const feed = (names: string[], target: string, amount = 40n) =>
    names.flatMap((name) => [
      faucetTo(name, 100n, '2026-03-01T08:00:00Z'),
      tx(u(name), u(target), amount, '2026-03-01T09:00:00Z'),
    ]);

  it('flags a member fed by at least the threshold of accounts first seen within a day', () => {
    const flags = detectNewAccountFeeders(feed(['n1', 'n2', 'n3', 'n4', 'n5'], 'boss'), 5);
    expect(flags).toEqual([
      {
        kind: 'new-account-feeders',
        accounts: [u('boss'), u('n1'), u('n2'), u('n3'), u('n4'), u('n5')],
        detail: { target: u('boss'), feeders: 5, amount: 200n },
      },
    ]);
  });

  it('does not flag fewer young feeders than the threshold', () => {
    expect(detectNewAccountFeeders(feed(['n1', 'n2', 'n3', 'n4'], 'boss'), 5)).toEqual([]);
  });

  it('does not count feeders first seen a day or more before they paid', () => {
    const old = [
      faucetTo('o1', 100n, '2026-02-28T09:00:00Z'),
      tx(u('o1'), u('boss'), 40n, '2026-03-01T09:00:00Z'),
    ];
    expect(detectNewAccountFeeders([...feed(['n1', 'n2', 'n3', 'n4'], 'boss'), ...old], 5)).toEqual([]);
  });

  it('takes first-seen times from the caller over what the list shows', () => {
    const transfers = feed(['n1', 'n2', 'n3', 'n4', 'n5'], 'boss');
    const firstSeen = new Map([[u('n5'), new Date('2026-01-01T00:00:00Z')]]);
    expect(detectNewAccountFeeders(transfers, 5, firstSeen)).toEqual([]);
    expect(detectNewAccountFeeders(transfers, 4, firstSeen)[0]).toMatchObject({
      detail: { feeders: 4, amount: 160n },
    });
  });

  it('counts each feeder once however often it pays', () => {
    const twice = [...feed(['n1'], 'boss'), tx(u('n1'), u('boss'), 5n, '2026-03-01T09:30:00Z')];
    expect(detectNewAccountFeeders(twice, 2)).toEqual([]);
    expect(detectNewAccountFeeders(twice, 1)[0]).toMatchObject({ detail: { feeders: 1, amount: 45n } });
  });
});

describe('detectAnomalies', () => {
  it('runs every detector with the policy thresholds', () => {
    const transfers = [
      tx(u('a'), u('b'), 50n, '2026-03-01T10:00:00Z'),
      tx(u('b'), u('a'), 50n, '2026-03-01T10:30:00Z'),
    ];
    const config = { velocityMadThreshold: 8, circularWindowMinutes: 60, newAccountFeeders: 2 };
    // Both are young (first seen in the list) and each fed the other once: one feeder each, below 2.
    expect(detectAnomalies(transfers, config).map((f) => f.kind)).toEqual(['circular']);
    expect(detectAnomalies(transfers, { ...config, circularWindowMinutes: 29 })).toEqual([]);
  });
});

describe('scanAnomalies on a real economy', () => {
  let open: TestEconomy | undefined;
  afterEach(async () => {
    await open?.economy.close();
    open = undefined;
  });

  async function altFarm(): Promise<TestEconomy> {
    const e = await openTestEconomy('2026-01-01T12:00:00Z', {
      policy: { anomaly: { newAccountFeeders: 3, circularWindowMinutes: 60 } },
    });
    const { tenant } = e;
    await tenant.grant('old1', 100n, { reason: 'seed' });
    await tenant.grant('old2', 100n, { reason: 'seed' });
    e.at('2026-01-03T12:00:00Z');
    for (const alt of ['new1', 'new2', 'new3']) await tenant.grant(alt, 50n, { reason: 'welcome' });
    e.at('2026-01-03T13:00:00Z');
    for (const alt of ['new1', 'new2', 'new3']) await tenant.pay({ from: alt, to: 'boss', amount: 40n });
    await tenant.pay({ from: 'old1', to: 'boss', amount: 10n });
    await tenant.pay({ from: 'old2', to: 'boss', amount: 10n });
    e.at('2026-01-03T13:10:00Z');
    await tenant.pay({ from: 'old1', to: 'old2', amount: 30n });
    e.at('2026-01-03T13:40:00Z');
    await tenant.pay({ from: 'old2', to: 'old1', amount: 30n });
    e.at('2026-01-03T14:00:00Z');
    return e;
  }

  it('finds the alt farm and the round trip, and tells old accounts from new ones by their history', async () => {
    open = await altFarm();
    const since = new Date('2026-01-03T12:30:00Z');
    const scan = await scanAnomalies(open.ctx, { since });
    expect(scan).toEqual({
      flags: [
        {
          kind: 'circular',
          accounts: [u('old1'), u('old2')],
          detail: {
            roundTrips: 1,
            returned: 30n,
            firstAt: new Date('2026-01-03T13:10:00Z'),
            lastAt: new Date('2026-01-03T13:40:00Z'),
          },
        },
        {
          kind: 'new-account-feeders',
          accounts: [u('boss'), u('new1'), u('new2'), u('new3')],
          detail: { target: u('boss'), feeders: 3, amount: 120n },
        },
      ],
      scanned: 7,
      truncated: false,
      since,
    });
    // Within the scan alone, old1 and old2 look as new as the alts.
    const page = await open.tenant.ledger.transfers({ limit: 7 });
    expect(detectNewAccountFeeders(page.items, 3)[0]).toMatchObject({ detail: { feeders: 5 } });
  });

  it('stops at the limit and says so', async () => {
    open = await altFarm();
    const scan = await scanAnomalies(open.ctx, { since: new Date('2026-01-01T00:00:00Z'), limit: 2 });
    expect(scan).toMatchObject({ scanned: 2, truncated: true });
    const all = await scanAnomalies(open.ctx, { since: new Date('2026-01-01T00:00:00Z') });
    expect(all).toMatchObject({ scanned: 12, truncated: false });
  });

  it('refuses a bad since or limit', async () => {
    open = await openTestEconomy('2026-01-01T12:00:00Z', {});
    await expect(scanAnomalies(open.ctx, { since: new Date('nope') })).rejects.toMatchObject({
      code: ErrorCode.INVALID_INPUT,
    });
    await expect(scanAnomalies(open.ctx, { since: new Date(0), limit: 10_001 })).rejects.toMatchObject({
      code: ErrorCode.INVALID_INPUT,
    });
  });
});

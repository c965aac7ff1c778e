import type { Ledger, Transfer, TransferInput } from '../../src/index.js';
import type { Random } from './concurrency-random.js';

/** The three members nearly everything touches, like the top of a leaderboard. */
export const HOT_USERS = ['user:hot0', 'user:hot1', 'user:hot2'] as const;
export const FAUCET = 'faucet:mint';
const SINK = 'sink:burn';
const HOUSE = 'house:dice';

/**
 * One unit of client work: `single` is one `transfer`, `batch` one `transferAll`, and `pair` two
 * transfers A→B and B→A submitted at the same moment (the classic deadlock shape).
 */
export interface WorkloadOp {
  kind: 'single' | 'pair' | 'batch';
  transfers: TransferInput[];
}

/**
 * Random ledger traffic skewed to hot accounts: every account a transfer picks is one of the three
 * hot users with probability 0.8, and a third of the ops are mints from the one faucet. Batch
 * members carry `metadata.n`, the size of their batch, so a half-written batch shows in the rows alone.
 */
export function createWorkload(rng: Random, idPrefix: string, coldUsers = 24): { next(): WorkloadOp } {
  let counter = 0;
  const id = () => `${idPrefix}-${counter++}`;
  const user = () => (rng.chance(0.8) ? rng.pick(HOT_USERS) : `user:c${rng.int(0, coldUsers - 1)}`);
  const twoUsers = (): [string, string] => {
    const a = user();
    let b = user();
    while (b === a) b = user();
    return [a, b];
  };
  const transfer = (from: string, to: string, amount: bigint, code: string): TransferInput => ({
    id: id(),
    from,
    to,
    amount,
    code,
  });
  const batch = (transfers: TransferInput[]): WorkloadOp => ({
    kind: 'batch',
    transfers: transfers.map((t) => ({ ...t, metadata: { n: transfers.length } })),
  });

  return {
    next(): WorkloadOp {
      const roll = rng.next();
      if (roll < 0.3) {
        return {
          kind: 'single',
          transfers: [transfer(FAUCET, user(), rng.bigint(50n, 500n), 'faucet.mint')],
        };
      }
      if (roll < 0.6) {
        const [a, b] = twoUsers();
        return { kind: 'single', transfers: [transfer(a, b, rng.bigint(1n, 200n), 'transfer.p2p')] };
      }
      if (roll < 0.7) {
        const a = rng.pick(HOT_USERS);
        let b = rng.pick(HOT_USERS);
        while (b === a) b = rng.pick(HOT_USERS);
        return {
          kind: 'pair',
          transfers: [
            transfer(a, b, rng.bigint(1n, 150n), 'transfer.p2p'),
            transfer(b, a, rng.bigint(1n, 150n), 'transfer.p2p'),
          ],
        };
      }
      if (roll < 0.8) {
        return { kind: 'single', transfers: [transfer(user(), SINK, rng.bigint(1n, 100n), 'sink.burn')] };
      }
      if (rng.chance(0.5)) {
        // A game round: the bet and its payout commit together or not at all.
        const player = user();
        const bet = rng.bigint(1n, 120n);
        return batch([
          transfer(player, HOUSE, bet, 'game.dice.bet'),
          transfer(HOUSE, player, rng.chance(0.5) ? bet * 2n : 1n, 'game.dice.payout'),
        ]);
      }
      const [a, b] = twoUsers();
      const amount = rng.bigint(10n, 300n);
      const chain = [
        transfer(FAUCET, a, amount, 'faucet.mint'),
        transfer(a, b, rng.bigint(1n, amount), 'transfer.p2p'),
      ];
      if (rng.chance(0.5)) chain.push(transfer(b, SINK, 1n, 'sink.tax'));
      return batch(chain);
    },
  };
}

/** Every transfer of the tenant, oldest (lowest seq) first. */
export async function readAllTransfers(ledger: Ledger): Promise<Transfer[]> {
  const newestFirst: Transfer[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.transfers({ limit: 1000, ...(cursor !== undefined && { cursor }) });
    newestFirst.push(...page.items);
    cursor = page.next;
  } while (cursor !== undefined);
  return newestFirst.reverse();
}

export function balancesOf(
  transfers: Iterable<Pick<Transfer, 'from' | 'to' | 'amount'>>,
): Map<string, bigint> {
  const balances = new Map<string, bigint>();
  for (const t of transfers) {
    balances.set(t.from, (balances.get(t.from) ?? 0n) - t.amount);
    balances.set(t.to, (balances.get(t.to) ?? 0n) + t.amount);
  }
  return balances;
}

/** Transfers as JSON lines between processes carry them: bigint as a decimal string, Date as ISO. */
export type WireInput = Omit<TransferInput, 'amount'> & { amount: string };
export type WireTransfer = Omit<Transfer, 'amount' | 'createdAt'> & { amount: string; createdAt: string };

export const inputToWire = (t: TransferInput): WireInput => ({ ...t, amount: t.amount.toString() });
export const inputFromWire = (t: WireInput): TransferInput => ({ ...t, amount: BigInt(t.amount) });
export const transferToWire = (t: Transfer): WireTransfer => ({
  ...t,
  amount: t.amount.toString(),
  createdAt: t.createdAt.toISOString(),
});
export const transferFromWire = (t: WireTransfer): Transfer => ({
  ...t,
  amount: BigInt(t.amount),
  createdAt: new Date(t.createdAt),
});

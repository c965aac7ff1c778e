/**
 * Child process of the "two OS processes on one storage" test. Waits for `go` on stdin, then opens
 * the storage, migrates and writes `ops` operations from `workers` async loops. Every operation is
 * affordable by construction, so all of them must commit; prints one `done` line with what committed.
 */
import { createInterface } from 'node:readline';
import { createEconomy, isGuildmintError, type Transfer, type TransferInput } from '../../src/index.js';
import { say } from './concurrency-child.js';
import { seededRandom } from './concurrency-random.js';
import { HOT_USERS, transferToWire } from './concurrency-workload.js';

export interface ProcessWriterConfig {
  url: string;
  tenant: string;
  index: number;
  seed: number;
  ops: number;
  workers: number;
}

const config = JSON.parse(process.argv[2]!) as ProcessWriterConfig;

try {
  const stdin = createInterface({ input: process.stdin });
  say({ t: 'ready' });
  await new Promise<void>((resolve) => stdin.on('line', (line) => line === 'go' && resolve()));
  stdin.close();
  process.stdin.destroy();

  const startedAt = Date.now();
  const economy = createEconomy({ storage: config.url });
  await economy.migrate();
  const ledger = economy.tenant(config.tenant).ledger;
  const rng = seededRandom(config.seed);
  const me = `user:own${config.index}`;
  const peer = `user:own${1 - config.index}`;
  // What this process has credited to `me` and not yet spent. The peer only ever adds to `me`,
  // so spending within this figure can never be short of funds.
  let spendable = 0n;
  let issued = 0;
  const committed: Transfer[] = [];
  const failures: Array<{ id: string | undefined; error: string }> = [];

  const nextOp = (): { transfers: TransferInput[]; onCommit?: () => void } => {
    const n = issued++;
    const id = (k = 0) => `p${config.index}-${n}-${k}`;
    const hot = () => rng.pick(HOT_USERS);
    const roll = rng.next();
    if (roll < 0.3) {
      return {
        transfers: [
          { id: id(), from: 'faucet:shared', to: hot(), amount: rng.bigint(1n, 500n), code: 'mint' },
        ],
      };
    }
    if (roll < 0.5) {
      const amount = rng.bigint(50n, 500n);
      return {
        transfers: [{ id: id(), from: 'faucet:shared', to: me, amount, code: 'mint' }],
        onCommit: () => {
          spendable += amount;
        },
      };
    }
    if (roll < 0.75 && spendable > 0n) {
      const amount = rng.bigint(1n, spendable < 100n ? spendable : 100n);
      spendable -= amount;
      const to = rng.pick([...HOT_USERS, peer, 'sink:shared']);
      return { transfers: [{ id: id(), from: me, to, amount, code: 'spend' }] };
    }
    if (roll < 0.9) {
      const temp = `user:tmp${config.index}-${n}`;
      const amount = rng.bigint(2n, 300n);
      return {
        transfers: [
          { id: id(0), from: 'faucet:shared', to: temp, amount, code: 'mint' },
          { id: id(1), from: temp, to: hot(), amount: rng.bigint(1n, amount), code: 'spend' },
          { id: id(2), from: 'house:shared', to: hot(), amount: rng.bigint(1n, 50n), code: 'payout' },
        ],
      };
    }
    return {
      transfers: [{ id: id(), from: 'house:shared', to: hot(), amount: rng.bigint(1n, 50n), code: 'payout' }],
    };
  };

  const worker = async () => {
    while (issued < config.ops) {
      const op = nextOp();
      try {
        const result =
          op.transfers.length === 1
            ? [await ledger.transfer(op.transfers[0]!)]
            : await ledger.transferAll(op.transfers);
        committed.push(...result);
        op.onCommit?.();
      } catch (error) {
        failures.push({
          id: op.transfers[0]?.id,
          error: isGuildmintError(error) ? `${error.code}: ${error.message}` : String(error),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: config.workers }, worker));
  const finishedAt = Date.now();
  await economy.close();
  say({ t: 'done', startedAt, finishedAt, failures, committed: committed.map(transferToWire) });
} catch (error) {
  say({ t: 'fatal', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
}

import { createEconomy, type Economy, type Store } from '@guildmint/sdk';
import type { Backend, CellTarget } from './baseline.js';
import { FUNDING, userAccount } from './harness.js';

const FUNDING_BATCH = 1000;

/** The SDK on a given store: each cell is a new tenant whose users are funded from `faucet:seed`. */
export class SdkBackend implements Backend {
  private readonly economy: Economy;

  private constructor(
    readonly label: string,
    store: Store,
  ) {
    this.economy = createEconomy({ storage: store });
  }

  static async open(label: string, store: Store): Promise<SdkBackend> {
    const backend = new SdkBackend(label, store);
    await backend.economy.migrate();
    return backend;
  }

  async cell(tag: string, users: number): Promise<CellTarget> {
    const { ledger } = this.economy.tenant(tag);
    for (let start = 0; start < users; start += FUNDING_BATCH) {
      const batch = [];
      for (let i = start; i < Math.min(users, start + FUNDING_BATCH); i++) {
        batch.push({ from: 'faucet:seed', to: userAccount(i), amount: FUNDING, code: 'bench.funding' });
      }
      await ledger.transferAll(batch);
    }
    return {
      transfer: (move) => ledger.transfer(move),
      async check() {
        const result = await ledger.verify();
        return {
          ok: result.ok,
          detail: result.ok
            ? 'ok'
            : `BROKEN: ${result.problems.length} problems, e.g. ${result.problems.slice(0, 3).join('; ')}`,
        };
      },
    };
  }

  close(): Promise<void> {
    return this.economy.close();
  }
}

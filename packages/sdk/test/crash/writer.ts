/**
 * The child of the crash tests: writes random transfers (single, A→B/B→A pairs and `transferAll`
 * batches) from `concurrency` async loops until it is killed. Protocol, one JSON line each:
 * - `ready` once the storage is open and migrated;
 * - `intent` (key, batch, transfers) before an operation is submitted;
 * - `ack` (key, ids) the moment its promise resolves — the operation is then acknowledged;
 * - `fail` (key, code) for a business rejection (INSUFFICIENT_FUNDS), `error` for anything else.
 */
import {
  createEconomy,
  ErrorCode,
  isGuildmintError,
  type Ledger,
  type TransferInput,
} from '../../src/index.js';
import { say } from '../conformance/concurrency-child.js';
import { deriveSeed, seededRandom } from '../conformance/concurrency-random.js';
import { createWorkload, inputToWire } from '../conformance/concurrency-workload.js';

export interface WriterConfig {
  url: string;
  tenant: string;
  /** Prefixes every transfer id, so runs never reuse one another's ids. */
  run: number;
  seed: number;
  concurrency: number;
  /** A bound in case the parent never kills: the parent treats reaching it as a failure. */
  maxOpsPerLoop: number;
}

const config = JSON.parse(process.argv[2]!) as WriterConfig;

function submit(ledger: Ledger, key: string, transfers: TransferInput[], batch: boolean): Promise<void> {
  say({ t: 'intent', key, batch, transfers: transfers.map(inputToWire) });
  const pending = batch ? ledger.transferAll(transfers) : ledger.transfer(transfers[0]!);
  return pending.then(
    () => say({ t: 'ack', key, ids: transfers.map((t) => t.id) }),
    (error: unknown) => {
      if (isGuildmintError(error, ErrorCode.INSUFFICIENT_FUNDS)) say({ t: 'fail', key, code: error.code });
      else {
        const code = isGuildmintError(error) ? error.code : 'UNKNOWN';
        say({
          t: 'error',
          key,
          code,
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    },
  );
}

try {
  const economy = createEconomy({ storage: config.url });
  await economy.migrate();
  const ledger = economy.tenant(config.tenant).ledger;
  say({ t: 'ready' });
  await Promise.all(
    Array.from({ length: config.concurrency }, async (_, loop) => {
      const workload = createWorkload(
        seededRandom(deriveSeed(config.seed, `loop ${loop}`)),
        `r${config.run}-l${loop}`,
      );
      for (let n = 0; n < config.maxOpsPerLoop; n++) {
        const op = workload.next();
        if (op.kind === 'pair') {
          await Promise.all(op.transfers.map((t) => submit(ledger, t.id!, [t], false)));
        } else {
          await submit(ledger, op.transfers[0]!.id!, op.transfers, op.kind === 'batch');
        }
      }
    }),
  );
  await economy.close();
  say({ t: 'exhausted' });
} catch (error) {
  say({ t: 'fatal', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
}

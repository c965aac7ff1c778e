/** What a caller asks for: money moving from one account to another, and why. */
export interface TransferInput {
  /** Idempotency key, unique per tenant. Generated when absent. */
  id?: string;
  from: string;
  to: string;
  /** Integer minor units, > 0. */
  amount: bigint;
  /** Why the money moved: `faucet.daily`, `transfer.p2p`, `reversal`, … */
  code: string;
  metadata?: Record<string, unknown>;
}

/** An immutable, committed transfer. */
export interface Transfer extends TransferInput {
  id: string;
  tenant: string;
  /** Set when the transfer was committed together with others by `transferAll` or a batch reversal. */
  batchId?: string;
  /** Set on a reversal: the id of the transfer it undoes. */
  reverses?: string;
  createdAt: Date;
}

export interface TransferPage {
  items: Transfer[];
  /** Pass as `cursor` to get the next (older) page; absent on the last page. */
  next?: string;
}

export interface VerifyResult {
  ok: boolean;
  problems: string[];
}

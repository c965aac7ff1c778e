// A tour of the Guildmint ledger on the embedded default store (a libSQL file): members get paid by a
// faucet, pay each other, retry safely, get refused, play a round in a batch, and get refunded.
// Run it with `pnpm dev` from the repository root, or `pnpm start` here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEconomy, GuildmintError, type Transfer } from '@guildmint/sdk';

// A fresh folder per run, so the demo always starts from an empty ledger.
const folder = mkdtempSync(join(tmpdir(), 'guildmint-ledger-demo-'));
const file = join(folder, 'ledger.db');
const economy = createEconomy({ storage: `file:${file}` });
const guild = economy.tenant('demo-guild');
const { ledger } = guild;

console.log('Guildmint ledger demo');
console.log(`  ledger file: ${file}`);
console.log(`  tenant:      ${guild.id}`);

step('1. The daily faucet pays three members');
const daily: Array<[string, bigint]> = [
  ['alice', 500n],
  ['bob', 300n],
  ['carol', 50n],
];
for (const [member, amount] of daily) {
  show(
    await ledger.transfer({
      id: `daily:${member}:2026-11-25`,
      from: 'faucet:daily',
      to: `user:${member}`,
      amount,
      code: 'faucet.daily',
    }),
  );
}

step('2. Alice pays Bob 120');
// The id is the idempotency key; a bot uses the Discord interaction id.
const payment = {
  id: 'interaction:1310000000000000001',
  from: 'user:alice',
  to: 'user:bob',
  amount: 120n,
  code: 'transfer.p2p',
  metadata: { memo: 'thanks for the raid' },
};
const paid = await ledger.transfer(payment);
show(paid);

step('3. Discord retries the same interaction');
const retried = await ledger.transfer(payment);
const same = retried.id === paid.id && retried.createdAt.getTime() === paid.createdAt.getTime();
console.log(
  `  same id, same content -> ${same ? 'the original transfer came back' : 'a NEW transfer (bug!)'}`,
);
console.log(`  alice has ${await ledger.balance('user:alice')}: paid once, no double pay`);
const conflict = await refused(() => ledger.transfer({ ...payment, amount: 999n }));
console.log(`  same id, different amount -> refused with ${conflict.code}`);

step('4. Carol tries to send 1000 with only 50');
const overdraft = await refused(() =>
  ledger.transfer({ from: 'user:carol', to: 'user:bob', amount: 1000n, code: 'transfer.p2p' }),
);
console.log(`  refused with ${overdraft.code}: ${overdraft.message}`);
console.log(`  carol still has ${await ledger.balance('user:carol')}; nothing was written`);

step('5. A batch: a coinflip round is a bet and a payout, all or none');
const round = await ledger.transferAll([
  { id: 'round:42:bet', from: 'user:bob', to: 'house:coinflip', amount: 100n, code: 'game.coinflip.bet' },
  {
    id: 'round:42:payout',
    from: 'house:coinflip',
    to: 'user:bob',
    amount: 200n,
    code: 'game.coinflip.payout',
  },
]);
for (const transfer of round) show(transfer);
console.log(`  batch id: ${round[0]?.batchId}`);
const shopping = await refused(() =>
  ledger.transferAll([
    { from: 'user:carol', to: 'sink:shop', amount: 40n, code: 'sink.shop' },
    { from: 'user:carol', to: 'sink:tax', amount: 20n, code: 'sink.tax' },
  ]),
);
console.log(`  carol buys for 40 + 20 tax -> ${shopping.code}; the first leg was not applied either`);
console.log(`  carol still has ${await ledger.balance('user:carol')}`);

step('6. Alice asks for her payment back: a reversal');
const [mirror] = await ledger.reverse(paid.id, {
  id: 'refund:1310000000000000001',
  reason: 'sent to the wrong member',
});
if (mirror) show(mirror);
console.log(`  reverses ${mirror?.reverses}; alice has ${await ledger.balance('user:alice')} again`);
const twice = await refused(() => ledger.reverse(paid.id, { reason: 'again' }));
console.log(`  reversing it a second time -> ${twice.code}`);

step('7. History, newest first, three per page');
let cursor: string | undefined;
let pageNumber = 0;
do {
  const page = await ledger.transfers({ limit: 3, ...(cursor !== undefined && { cursor }) });
  pageNumber++;
  console.log(`  page ${pageNumber}: ${page.items.map((t) => `${t.code} ${t.amount}`).join(', ')}`);
  cursor = page.next;
} while (cursor !== undefined);

step('8. Balances and verify()');
const accounts = ['user:alice', 'user:bob', 'user:carol', 'faucet:daily', 'house:coinflip'];
let sum = 0n;
for (const account of accounts) {
  const balance = await ledger.balance(account);
  sum += balance;
  console.log(`  ${account.padEnd(16)}${String(balance).padStart(6)}`);
}
console.log(`  ${'sum'.padEnd(16)}${String(sum).padStart(6)}  (double entry: always zero)`);
const check = await ledger.verify();
console.log(`  verify(): ${check.ok ? 'ok' : `${check.problems.length} problem(s)`}`);
for (const problem of check.problems) console.log(`    - ${problem}`);

await economy.close();
console.log(`\nDone. The ledger stays in ${folder} (delete it when you like).`);
if (!check.ok) process.exitCode = 1;

function step(title: string): void {
  console.log(`\n${title}`);
}

function show(t: Transfer): void {
  const route = `${t.from} -> ${t.to}`;
  console.log(`  ${route.padEnd(34)}${String(t.amount).padStart(6)}  ${t.code.padEnd(20)} id ${t.id}`);
}

/** Runs an operation the ledger must refuse and returns its error. */
async function refused(operation: () => Promise<unknown>): Promise<GuildmintError> {
  try {
    await operation();
  } catch (error) {
    if (error instanceof GuildmintError) return error;
    throw error;
  }
  throw new Error('the ledger accepted an operation it should have refused');
}

/**
 * A script that works on a hosted Guildmint tenant with an API key (a `write` key is enough):
 *
 *   GUILDMINT_URL=https://guildmint.example GUILDMINT_TENANT=<guild id> GUILDMINT_API_KEY=gm_live_… \
 *     pnpm --filter @guildmint/example-remote-client start <from user id> <to user id> <amount>
 *
 * The same calls as a local economy's tenant; the payment's key makes a rerun of the script after a
 * lost answer a replay instead of a second payment.
 */
import { ErrorCode, isGuildmintError } from '@guildmint/sdk';
import { createRemoteEconomy } from '@guildmint/sdk/remote';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

const [from, to, amount] = process.argv.slice(2);
if (!from || !to || !amount || !/^[0-9]+$/.test(amount)) {
  console.error('usage: start <from user id> <to user id> <amount>');
  process.exit(2);
}

const tenantId = env('GUILDMINT_TENANT');
const economy = createRemoteEconomy({
  url: env('GUILDMINT_URL'),
  apiKey: env('GUILDMINT_API_KEY'),
  tenantId,
});
const guild = economy.tenant(tenantId);

try {
  const receipt = await guild.pay({
    from,
    to,
    amount: BigInt(amount),
    key: `example:${from}:${to}:${amount}`,
  });
  console.log(
    `${receipt.replayed ? 'already paid' : 'paid'} ${receipt.amount} (tax ${receipt.tax}, fee ${receipt.fee}) in ${receipt.id}`,
  );
  console.log(`${from} now has ${await guild.balance(from)}, ${to} has ${await guild.balance(to)}`);
} catch (error) {
  if (isGuildmintError(error, ErrorCode.INSUFFICIENT_FUNDS)) console.error(`${from} cannot afford ${amount}`);
  else if (isGuildmintError(error, ErrorCode.STORE_UNAVAILABLE))
    console.error('Guildmint is unreachable; run again later (the payment key makes that safe)');
  else throw error;
  process.exitCode = 1;
}

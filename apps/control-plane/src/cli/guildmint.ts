import { join, resolve } from 'node:path';
import { platformDatabaseUrl } from '../server/db/location';
import { cliEnv } from './env';
import { CliError } from './keys';
import { createProgram } from './program';

/**
 * `pnpm guildmint <command>`: the operator CLI (SDK-CONTRACT.md "Operator CLI"). It works on the same
 * platform database as the control plane (DATABASE_URL, else GUILDMINT_DATA_DIR/platform.db).
 */
const program = createProgram({
  databaseUrl: () =>
    platformDatabaseUrl({ databaseUrl: cliEnv.DATABASE_URL, dataDir: cliEnv.GUILDMINT_DATA_DIR }),
  out: (line) => process.stdout.write(`${line}\n`),
  economyUrl: () =>
    cliEnv.ECONOMY_STORAGE ??
    cliEnv.DATABASE_URL ??
    `file:${join(resolve(cliEnv.GUILDMINT_DATA_DIR), 'economy.db')}`,
  unbelievaBoatToken: () => cliEnv.UNBELIEVABOAT_TOKEN,
  clusters: () => cliEnv.GUILDMINT_CLUSTERS,
  ...(process.env.UNBELIEVABOAT_API_URL && { unbelievaBoatUrl: process.env.UNBELIEVABOAT_API_URL }),
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  process.stderr.write(`guildmint: ${error.message}\n`);
  process.exitCode = 1;
}

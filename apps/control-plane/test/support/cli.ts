import type { MovingOptions } from '../../src/cli/moving';
import { createProgram } from '../../src/cli/program';
import type { TenantsOptions } from '../../src/cli/tenants';

/** What the operator CLI's program needs, less `out` (`runCli` collects standard output's lines). */
export type CliOptions = Omit<MovingOptions & TenantsOptions, 'out'>;

/**
 * `pnpm guildmint …args` in this process (what the process runs, minus its argv and exit code): the lines
 * it printed and the error it ended with (null when it succeeded). Commander's own output is swallowed.
 */
export async function runCli(
  options: CliOptions,
  ...args: string[]
): Promise<{ out: string[]; error: unknown }> {
  const out: string[] = [];
  const program = createProgram({ ...options, out: (line) => out.push(line) });
  for (const command of [program, ...program.commands.flatMap((c) => [c, ...c.commands])])
    command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  const error = await program.parseAsync(['node', 'guildmint', ...args]).then(
    () => null,
    (e: unknown) => e,
  );
  return { out, error };
}

import { Command } from 'commander';
import { keysCommand } from './keys';
import { type MovingOptions, movingCommands } from './moving';
import { type TenantsOptions, tenantsCommands } from './tenants';

/** The operator CLI's commands; `out` gets standard output's lines (the key's, for `keys create`). */
export function createProgram(o: MovingOptions & TenantsOptions): Command {
  const program = new Command('guildmint')
    .description('Guildmint operator commands')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  keysCommand(program, o.databaseUrl, o.out);
  movingCommands(program, o);
  tenantsCommands(program, o);
  return program;
}

import { Command } from 'commander';
import { keysCommand } from './keys';

/** The operator CLI's commands; `out` gets standard output's lines (the key's, for `keys create`). */
export function createProgram(o: { databaseUrl(): string; out(line: string): void }): Command {
  const program = new Command('guildmint')
    .description('Guildmint operator commands')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  keysCommand(program, o.databaseUrl, o.out);
  return program;
}

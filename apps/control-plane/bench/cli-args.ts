/** The command line of a benchmark: `pnpm bench:api -- --seconds 2` hands the `--` through; drop it. */
export function cliArgs(): string[] {
  return process.argv.slice(2).filter((arg) => arg !== '--');
}

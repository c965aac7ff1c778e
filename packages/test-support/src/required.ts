/** Under CI (`GUILDMINT_REQUIRE_SERVICES=1`, set by scripts/test.mjs when CI=true) a missing service fails the run. */
export const servicesRequired = process.env.GUILDMINT_REQUIRE_SERVICES === '1';

/** The one loud line a skipped suite prints outside CI. */
export function warnSkipping(service: string, url: string, error: unknown, hint: string): void {
  console.warn(
    `\n!!!!! SKIPPING ${service} suites: no server at ${url} (${(error as Error).message}). ${hint} !!!!!\n`,
  );
}

// Service availability and a database per test file: shared by every package's suites.
export * from '@guildmint/test-support';

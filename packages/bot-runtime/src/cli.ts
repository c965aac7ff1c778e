#!/usr/bin/env node
// The production entry: configuration from the environment, logs as JSON on stdout, a graceful stop
// on SIGTERM/SIGINT (finish the interactions in flight, then close the economy).
import { loadEnv, loadOrExit, runtimeOptionsFromEnv } from './env.js';
import { createLogger } from './logger.js';
import { createRuntime } from './runtime.js';

async function main(): Promise<void> {
  const env = loadOrExit(() => loadEnv());
  const log = createLogger({ level: env.LOG_LEVEL });
  const runtime = createRuntime({ ...runtimeOptionsFromEnv(env), logger: log });

  // A rejection nobody handled is a bug to log, not a reason to drop every guild's interactions.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    signalled = true;
    log.info({ signal }, 'shutting down: finishing interactions in flight');
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  try {
    await runtime.start();
  } catch (error) {
    log.fatal({ err: error }, 'could not start');
    await runtime.stop().catch(() => {});
    process.exit(1);
  }
  log.info({ health: runtime.health(), metrics: runtime.metricsUrl }, 'ready');
}

void main();

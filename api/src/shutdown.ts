import type { Logger } from './logger.ts';

/** Runs `stop` once on SIGTERM or SIGINT, then exits: graceful shutdown for process entry points. */
export function onShutdown(log: Logger, stop: () => Promise<void>) {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      try {
        await stop();
      } finally {
        process.exit(0);
      }
    });
  }
}

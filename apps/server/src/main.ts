import { ConfigError, readConfig } from './config';
import { DataDirInUseError } from './db/dataDirLock';
import { createLogger } from './log';
import { startServer } from './server';

/**
 * `pnpm run server`: the server alone, configured from the environment; stops gracefully on
 * SIGTERM/SIGINT. Spawned with an IPC channel (`scripts/start.mjs`) it also sends
 * `{ type: 'ready', url }` once ready and stops when the channel closes.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = readConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`dutydesk: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel, undefined, { format: config.logFormat });
  const started = Date.now();
  let server;
  try {
    server = await startServer({ config, log });
  } catch (err) {
    if (err instanceof DataDirInUseError) {
      process.stderr.write(`dutydesk: ${err.message}\n`);
      process.exit(3);
    }
    const message = err instanceof Error ? err.message : JSON.stringify(err);
    process.stderr.write(`dutydesk: could not start: ${message}\n`);
    log.error({ err }, 'start failed');
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      log.error('graceful stop took over 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Under a supervisor with an IPC channel (`pnpm start`): stop when it goes away, so a killed
  // supervisor leaves no server holding the port and the data folder.
  if (process.send) process.on('disconnect', () => stop('disconnect'));
  // Only now say ready: a supervisor that signals as soon as it reads this line (the pipe write
  // can reach it before the next statement runs) must find the handlers installed.
  log.info({ ms: Date.now() - started }, 'ready');
  process.stdout.write(
    `Dutydesk is ready at ${server.url}  (database: ${server.ctx.database.kind})\n`,
  );
  process.send?.({ type: 'ready', url: server.url });
}

void main();

import { loadConfig, ConfigError } from './config/config.js';
import { FlagError, HELP_TEXT, parseFlags } from './config/flags.js';
import { buildApp } from './app.js';
import { createLogger } from './logging/logger.js';
import { VERSION } from './version.js';

async function main(): Promise<void> {
  let flags;
  let config;
  try {
    flags = parseFlags(process.argv.slice(2));
    if (flags.help) return void process.stdout.write(HELP_TEXT);
    if (flags.version) return void process.stdout.write(`${VERSION}\n`);
    config = loadConfig(process.env, flags);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof FlagError) {
      process.stderr.write(`gateway-aggregator: invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const logger = createLogger({ level: config.logLevel, logDir: config.logDir });
  const app = await buildApp(config, { logger }).catch((error: unknown) => {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  });
  try {
    await app.server.listen({ port: config.port, host: config.host });
  } catch (error) {
    logger.fatal(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
    await app.close();
    process.exit(1);
  }
  logger.info(`gateway-aggregator ${VERSION} listening on ${config.host}:${config.port} (${config.database.driver})`);
  app.startJobs();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received; shutting down`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();

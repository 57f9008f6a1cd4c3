import type { FastifyBaseLogger } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config/config.js';
import { VERSION } from './version.js';

/** One serving process: the whole gateway alone, or one worker of a cluster. */
export async function serve(config: Config, logger: FastifyBaseLogger): Promise<void> {
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

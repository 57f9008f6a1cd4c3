// First: V8 flags must be set before the modules below allocate anything.
import './v8-flags.js';
import cluster from 'node:cluster';
import { loadConfig, ConfigError } from './config/config.js';
import { FlagError, HELP_TEXT, parseFlags } from './config/flags.js';
import { runPrimary } from './cluster/primary.js';
import { createLogger } from './logging/logger.js';
import { serve } from './serve.js';
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
  if (config.workers > 1 && cluster.isPrimary) await runPrimary(config, logger);
  else await serve(config, logger);
}

await main();

#!/usr/bin/env node
import { runJobOnce } from '@taskcluster-queue/workers';
import { parseCommand, USAGE } from './commands';
import { ConfigError, loadConfig } from './config';
import { startBackend } from './backend';
import { createContainer, resolveAll } from './container';
import { errorFields, jsonLogger } from './log';
import { startMetricsServer } from './processes/metrics-server';
import { startWeb } from './processes/web';
import { startWorkers } from './processes/workers';
import { ROOT_CLIENT_ID, rootAccessToken } from './root-client';
import { TOKENS } from './tokens';

/** Resolves on the first SIGTERM or SIGINT. */
const terminated = () =>
  new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });

const main = async (argv: readonly string[]): Promise<number> => {
  const command = parseCommand(argv);
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const logger = jsonLogger(config.LOG_LEVEL);
  const { token, generated } = await rootAccessToken(config.QUEUE_ROOT_ACCESS_TOKEN, config.QUEUE_DATA_DIR);
  const backend = await startBackend(config, logger);
  const container = createContainer(config, token, logger, backend);
  resolveAll(container);
  const events = container.get(TOKENS.events);
  const reporter = container.get(TOKENS.errorReporter);
  if (config.QUEUE_BACKEND !== 'azure' && command.kind !== 'all') {
    const where = config.QUEUE_BACKEND === 'memory' ? 'in this process only' : `in storage this process starts on ${config.QUEUE_DATA_DIR}, which no other process may open meanwhile`;
    logger('warn', `QUEUE_BACKEND=${config.QUEUE_BACKEND} keeps state ${where}: run \`all\` to have the API and the jobs share it, or use QUEUE_BACKEND=azure`);
  }

  if (command.kind === 'run') {
    // SIGTERM: finish the batch in flight, then stop; the next run carries on.
    const stop = new AbortController();
    void terminated().then(() => stop.abort());
    let code = 0;
    try {
      const summary = await runJobOnce(container.get(TOKENS.queue).jobs, command.job, { signal: stop.signal });
      logger('info', `${command.job} finished`, { job: command.job, ...summary });
    } catch (error) {
      reporter.report(error, { job: command.job });
      code = 1;
    }
    await events.close?.();
    await backend.stop();
    await reporter.close();
    return code;
  }

  const web = command.kind === 'all' || command.kind === 'web' ? await startWeb(container) : undefined;
  const workers =
    command.kind === 'web' ? undefined : startWorkers(container, command.kind === 'job' ? [command.job] : undefined);
  const metricsServer = !web && config.QUEUE_METRICS_PORT !== undefined ? await startMetricsServer(container, config.QUEUE_METRICS_PORT) : undefined;
  if (metricsServer) logger('info', 'metrics at /metrics', { port: metricsServer.port });
  if (web) {
    logger('info', 'taskcluster-queue is listening', { rootUrl: config.rootUrl, port: config.PORT, backend: config.QUEUE_BACKEND });
    process.stdout.write(
      `\nTaskcluster queue at ${config.rootUrl}/api/queue/v1/\n` +
        `  TASKCLUSTER_ROOT_URL=${config.rootUrl}\n` +
        `  TASKCLUSTER_CLIENT_ID=${ROOT_CLIENT_ID}\n` +
        `  TASKCLUSTER_ACCESS_TOKEN=${token}${generated ? `   (new; kept in ${config.QUEUE_DATA_DIR}/root-access-token)` : ''}\n\n`,
    );
  }

  await terminated();
  logger('info', 'shutting down: no new connections; waiting claimWork calls answer with no tasks; jobs finish their batch');
  await web?.stop();
  await workers?.stop();
  await metricsServer?.stop();
  await events.close?.();
  await backend.stop();
  await reporter.close();
  logger('info', 'stopped');
  return 0;
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'error', message: 'taskcluster-queue failed to start', ...errorFields(error) })}\n`);
    process.exit(1);
  },
);

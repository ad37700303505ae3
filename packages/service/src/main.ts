#!/usr/bin/env node
import { backgroundJobs, type BackgroundJobName } from '@taskcluster-queue/core';
import { ConfigError, loadConfig } from './config';
import { createContainer, resolveAll } from './container';
import { errorFields, jsonLogger } from './log';
import { startWeb } from './processes/web';
import { startWorkers } from './processes/workers';
import { ROOT_CLIENT_ID, rootAccessToken } from './root-client';
import { TOKENS } from './tokens';

const USAGE = `usage: taskcluster-queue <all | web | workers | run <job>>
  all       HTTP API and every background job in one process (what \`pnpm start\` runs)
  web       the HTTP API
  workers   the background jobs
  run JOB   one background job until it has nothing left to do; JOB is one of:
            ${Object.keys(backgroundJobs).join(', ')}`;

const main = async (argv: readonly string[]): Promise<number> => {
  const [command = 'all', jobName] = argv;
  if (!['all', 'web', 'workers', 'run'].includes(command) || (command === 'run' && !(jobName! in backgroundJobs))) {
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
  const container = createContainer(config, token, logger);
  resolveAll(container);
  const events = container.get(TOKENS.events);

  if (command === 'run') {
    const job = container.get(TOKENS.queue).jobs[jobName as BackgroundJobName];
    let total = 0;
    for (let done = false; !done; ) {
      const result: { handled?: number; deleted?: number } = await job();
      const amount = (result.handled ?? 0) + (result.deleted ?? 0);
      total += amount;
      done = amount === 0;
    }
    logger('info', `${jobName} finished`, { job: jobName, total });
    await events.close?.();
    return 0;
  }

  const web = command === 'workers' ? undefined : await startWeb(container);
  const workers = command === 'web' ? undefined : startWorkers(container);
  if (web) {
    logger('info', 'taskcluster-queue is listening', { rootUrl: config.rootUrl, port: config.PORT, backend: config.QUEUE_BACKEND });
    process.stdout.write(
      `\nTaskcluster queue at ${config.rootUrl}/api/queue/v1/\n` +
        `  TASKCLUSTER_ROOT_URL=${config.rootUrl}\n` +
        `  TASKCLUSTER_CLIENT_ID=${ROOT_CLIENT_ID}\n` +
        `  TASKCLUSTER_ACCESS_TOKEN=${token}${generated ? `   (new; kept in ${config.QUEUE_DATA_DIR}/root-access-token)` : ''}\n\n`,
    );
  }
  if (config.QUEUE_BACKEND === 'memory' && command !== 'all') {
    logger('warn', 'QUEUE_BACKEND=memory keeps state in this process only: run `all` to have the API and the jobs share it');
  }

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger('info', 'shutting down: no new connections; waiting claimWork calls answer with no tasks');
  await web?.stop();
  await workers?.stop();
  await events.close?.();
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

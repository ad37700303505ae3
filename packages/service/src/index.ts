export { loadConfig, environment, ConfigError, type ServiceConfig } from './config';
export { createContainer, resolveAll } from './container';
export { TOKENS } from './tokens';
export { startWeb } from './processes/web';
export { startWorkers, loopInterval, CONTINUOUS_JOBS } from './processes/workers';
export { startMetricsServer } from './processes/metrics-server';
export { parseCommand, USAGE, type Command } from './commands';
export { createMetrics, readTaskQueueCounts, type Metrics } from './monitoring/metrics';
export { createErrorReporter, initSentry, type ErrorReporter, type ErrorContext } from './monitoring/error-reporter';

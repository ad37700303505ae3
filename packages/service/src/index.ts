export { loadConfig, environment, ConfigError, type ServiceConfig } from './config';
export { createContainer, resolveAll } from './container';
export { TOKENS } from './tokens';
export { startWeb } from './processes/web';
export { startWorkers, CONTINUOUS_JOBS } from './processes/workers';

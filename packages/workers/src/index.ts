export { runContinuously, type ContinuousJobOptions, type JobResult } from './continuous-job';

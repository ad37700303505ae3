export { runContinuously, type ContinuousJobOptions, type JobResult } from './continuous-job';
export { drain, jobOf, runJobOnce, type DrainOptions, type DrainSummary } from './drain';
export { startCronSchedule, type CronSchedule, type CronScheduleOptions, type ScheduledJob } from './cron-schedule';
export {
  JOB_NAMES,
  ALL_JOBS,
  CONTINUOUS_JOBS,
  EXPIRY_SCHEDULE,
  isContinuous,
  jobNamed,
  type JobName,
  type ContinuousJobName,
  type ExpiryJobName,
} from './job-names';

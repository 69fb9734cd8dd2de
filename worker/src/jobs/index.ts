import type { JobDefinition } from './define-job.ts';
import { purgeSessionsJob } from './purge-sessions/definition.ts';
import { analyticsRollupsJob } from './analytics-rollups/definition.ts';

/** Every job the worker runs. Add new ones here. */
export const jobs: JobDefinition<any>[] = [purgeSessionsJob, analyticsRollupsJob];

import { z } from 'zod';
import { purgeExpiredUploads } from '@parley/api/attachments/purge-uploads.ts';
import { defineJob } from '../define-job.ts';

/** Every 15 minutes: deletes uploads never attached within ATTACHMENT_UPLOAD_TTL_HOURS (rows and bytes). */
export const attachmentsPurgeJob = defineJob({
  name: 'attachments.purge-unused.v1',
  queue: 'maintenance',
  payload: z.object({}),
  schedule: { pattern: '*/15 * * * *' },
  handle: (services) => purgeExpiredUploads(services),
});

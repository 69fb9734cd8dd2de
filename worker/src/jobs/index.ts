import type { JobDefinition } from './define-job.ts';
import { purgeSessionsJob } from './purge-sessions/definition.ts';
import { mailInProcessJob } from './mail-in-process/definition.ts';
import { mailOutSendJob } from './mail-out-send/definition.ts';
import { mailSweepJob } from './mail-sweep/definition.ts';
import { mailAccountPollJob, mailAccountsScheduleJob } from './mail-accounts-poll/definition.ts';

import { ticketEventJob } from './ticket-event/definition.ts';
import { slaEscalationJob } from './sla-escalation/definition.ts';
import { slaSweepJob } from './sla-sweep/definition.ts';
import { slaRecomputeJob } from './sla-recompute/definition.ts';
import { webhookDeliverJob } from './webhook-deliver/definition.ts';
import { archiveTicketsJob } from './archive-tickets/definition.ts';
import { ticketTimersJob } from './ticket-timers/definition.ts';
import { analyticsRollupsJob } from './analytics-rollups/definition.ts';
import { automationScheduleJob } from './automation-schedule/definition.ts';
import { attachmentsPurgeJob } from './attachments-purge/definition.ts';
import { billingMeterEventJob } from './billing-meter-event/definition.ts';
import { secretsResealJob } from './secrets-reseal/definition.ts';

/** Every job the worker runs. Add new ones here. */
export const jobs: JobDefinition<any>[] = [
  purgeSessionsJob, mailInProcessJob, mailOutSendJob, mailSweepJob, mailAccountPollJob, mailAccountsScheduleJob,
  ticketEventJob, slaEscalationJob, slaSweepJob, slaRecomputeJob, webhookDeliverJob, archiveTicketsJob, ticketTimersJob, analyticsRollupsJob, automationScheduleJob,
  attachmentsPurgeJob, billingMeterEventJob, secretsResealJob];

import type { Services } from '@parley/api/services.ts';
import { runScheduledRules } from '@parley/api/automation/run-rules.ts';
import { mailContext } from '@parley/api/mail/outbound/mail-context.ts';
import { webhookSink } from '@parley/api/partners/webhook-jobs.ts';

/**
 * Scheduled automation rules (trigger SCHEDULE). The system role only finds the tenants that have
 * an active scheduled rule; everything else runs under each tenant (withTenant, RLS) in
 * runScheduledRules: up to `batch` candidate tickets per rule per run, each rule at most once per
 * ticket. One tenant failing does not stop the others.
 */
export async function runAutomationSchedule(services: Services, now = new Date(), batch = 500) {
  const started = performance.now();
  const tenants = await services.systemDb.automationRule.findMany({
    where: { active: true, triggers: { has: 'SCHEDULE' } }, distinct: ['tenantId'], select: { tenantId: true },
  });
  let applied = 0;
  let failed = 0;
  for (const { tenantId } of tenants) {
    try {
      applied += (await runScheduledRules({ db: services.db, events: services.events, mail: mailContext(services), webhooks: webhookSink(services.config) }, tenantId, now, batch)).applied;
    } catch (err) {
      failed += 1;
      services.log.warn({ tenantId, err: err instanceof Error ? err.message : String(err) }, 'Automation schedule: tenant failed');
    }
  }
  const ms = Math.round(performance.now() - started);
  if (applied || failed) services.log.info({ tenants: tenants.length, applied, failed, ms }, 'Automation schedule');
  return { tenants: tenants.length, applied, failed, ms };
}

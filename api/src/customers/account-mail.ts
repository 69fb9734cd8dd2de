import type { TenantTx } from '@parley/db';
import { composeMail, generateMessageId } from '../mail/compose-mail.ts';
import { defaultSystemAddress, tenantMailDomain } from '../mail/tenant-mail.ts';
import type { Services } from '../services.ts';
import { enqueueOutgoingMails } from '../mail/outbound/mail-context.ts';
import { tenantWebUrl } from '../tenants/web-links.ts';

export interface AccountMailTenant { id: string; slug: string; name: string; mailDomain: string | null }

/**
 * Records an account mail (verification, password reset, "you already have an account") in the
 * tenant's outbox, in the caller's transaction; no ticket. It goes out from the tenant's built-in
 * address like its other mail and is sent by the worker (mail-out.send.v1) after commit.
 */
export async function recordAccountMail(tx: TenantTx, mailDomain: string, tenant: AccountMailTenant, m: { to: { name: string; address: string }; subject: string; text: string }) {
  const from = { name: tenant.name, address: defaultSystemAddress(tenant, mailDomain).toLowerCase() };
  const composed = await composeMail({
    from, to: [m.to], subject: m.subject, text: m.text, kind: 'notification',
    messageId: generateMessageId(tenantMailDomain(tenant, mailDomain)), headers: { 'X-Parley-Account-Mail': '1' },
  });
  return tx.outgoingMail.create({
    data: {
      tenantId: tenant.id, kind: 'NOTIFICATION', messageId: composed.messageId, envelopeFrom: composed.envelope.from || from.address,
      recipients: composed.envelope.to, subject: m.subject, raw: new Uint8Array(composed.raw),
    },
    select: { id: true },
  });
}

/** Hands outbox rows to the worker after the transaction committed (the sweeper covers a lost enqueue). */
export function sendAfterCommit(s: Services, tenantId: string, ids: string[]) {
  return ids.length ? enqueueOutgoingMails(s, tenantId, ids) : Promise.resolve();
}

/** A link into the web app for this tenant: `/t/<slug>/…` selects the tenant whatever host serves it. */
export function accountLink(s: Pick<Services, 'config'>, tenantSlug: string, path: string, token: string): string {
  return `${tenantWebUrl(s.config, tenantSlug, path)}?token=${encodeURIComponent(token)}`;
}

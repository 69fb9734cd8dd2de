import type { OutgoingMailKind, TenantTx } from '@parley/db';
import { composeMail, generateMessageId, type OutgoingAddress, type OutgoingAttachment } from '../compose-mail.ts';
import { renderTemplate, type TemplateData } from '../render-template.ts';
import { subjectWithTicketNumber, type TicketHook } from '../thread-hints.ts';
import { defaultSystemAddress, tenantMailDomain } from '../tenant-mail.ts';
import { brandedMailHtml } from '../../branding/branded-mail-html.ts';

/** How a tenant writes ticket numbers into subjects (prefix-numbered tenants too). */
export function ticketHookOf(tenant: { ticketHook: string; ticketNumberFormat: string }): TicketHook {
  return tenant.ticketNumberFormat === 'prefix'
    ? { hook: tenant.ticketHook, numberPattern: /[A-Za-z][A-Za-z0-9]{0,15}-\d{1,18}|\d{4,24}/ }
    : { hook: tenant.ticketHook };
}

export interface TicketMailTenant { id: string; slug: string; name: string; mailDomain: string | null; ticketHook: string; ticketNumberFormat: string }
export interface TicketMailQueue { name: string; systemAddress: string | null; salutation: string | null; signature: string | null }

/** The address a queue's mail goes out from: its system address, else the tenant's built-in one. */
export function queueFromAddress(tenant: TicketMailTenant, queue: TicketMailQueue, mailDomain: string): { name: string; address: string } {
  return { name: tenant.name, address: (queue.systemAddress ?? defaultSystemAddress(tenant, mailDomain)).toLowerCase() };
}

export interface TicketMailDraft {
  kind: OutgoingMailKind;
  tenant: TicketMailTenant;
  queue: TicketMailQueue;
  ticket: { id: string; number: string; title: string; state?: string; priority?: string };
  articleId?: string | null;
  to: OutgoingAddress[];
  cc?: OutgoingAddress[];
  /** The subject before the ticket number is added ("Re:" is added to agent replies; templates word their own) */
  subject: string;
  /** Body text (agent's words or a rendered template); salutation and signature are added here */
  body: string;
  /** Placeholders for salutation/signature/templates */
  data: TemplateData;
  inReplyTo?: string | null;
  references?: string[];
  /** Pre-generated Message-ID (the article stores the same id, so replies thread to it) */
  messageId?: string;
  /** Agent notifications carry no salutation/signature */
  plain?: boolean;
  mailDomain: string;
  /** Files the mail carries (an agent reply's attachments) */
  attachments?: OutgoingAttachment[];
}

/**
 * Records an outgoing mail in the outbox, in the caller's transaction (the one that writes the
 * article), so the mail exists exactly when the article does. The worker sends it
 * (send-outgoing-mail.ts); the exact bytes are stored, so a retry sends the same Message-ID.
 */
export async function recordOutgoingMail(tx: TenantTx, d: TicketMailDraft): Promise<{ id: string; messageId: string }> {
  // Branding (admin's branding page): display name as the From name, an HTML part in the primary colour.
  const branding = await tx.tenantBranding.findUnique({ where: { tenantId: d.tenant.id }, select: { displayName: true, primaryColor: true } });
  const from = { ...queueFromAddress(d.tenant, d.queue, d.mailDomain), ...(branding?.displayName ? { name: branding.displayName } : {}) };
  const messageId = d.messageId ?? generateMessageId(tenantMailDomain(d.tenant, d.mailDomain));
  const parts = d.plain ? [d.body] : [
    d.queue.salutation ? renderTemplate(d.queue.salutation, d.data, 'text').output : '',
    d.body,
    d.queue.signature ? `-- \n${renderTemplate(d.queue.signature, d.data, 'text').output}` : '',
  ];
  const subject = subjectWithTicketNumber(d.subject || d.ticket.title, ticketHookOf(d.tenant), d.ticket.number, { prefix: d.kind === 'AGENT_REPLY' && d.inReplyTo ? 'Re' : undefined });
  const kind = d.kind === 'AGENT_REPLY' ? 'agent-reply' : d.kind === 'AUTO_RESPONSE' ? 'auto-response' : 'notification';
  const text = parts.filter(Boolean).join('\n\n');
  const html = branding && (branding.displayName || branding.primaryColor) ? brandedMailHtml({ name: from.name, primaryColor: branding.primaryColor }, text) : undefined;
  const composed = await composeMail({
    from, to: d.to, cc: d.cc, subject, text, html, messageId,
    inReplyTo: d.inReplyTo ?? null, references: (d.references ?? []).slice(-20), kind,
    headers: { 'X-Parley-Ticket': d.ticket.number }, attachments: d.attachments,
  });
  const row = await tx.outgoingMail.create({
    data: {
      tenantId: d.tenant.id, ticketId: d.ticket.id, articleId: d.articleId ?? null, kind: d.kind,
      messageId: composed.messageId, envelopeFrom: composed.envelope.from || from.address, recipients: composed.envelope.to,
      subject, raw: new Uint8Array(composed.raw),
    },
    select: { id: true, messageId: true },
  });
  return row;
}

/** Template data for a ticket mail. */
export function ticketMailData(p: { tenant: { name: string }; queue: { name: string }; ticket: { number: string; title: string; state?: string; priority?: string }; customer?: { name?: string | null; email?: string | null } | null; agent?: { name: string } | null }): TemplateData {
  return {
    ticket: { number: p.ticket.number, title: p.ticket.title, state: p.ticket.state ?? '', priority: p.ticket.priority ?? '' },
    customer: { name: p.customer?.name ?? p.customer?.email ?? '', email: p.customer?.email ?? '' },
    agent: { name: p.agent?.name ?? '' },
    queue: { name: p.queue.name },
    tenant: { name: p.tenant.name },
  };
}

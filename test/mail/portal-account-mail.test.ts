// Account mails (verification, reset) go through the tenant's outbox like every other mail: the
// worker's sender (sendOutgoingMail, the mail-out.send.v1 handler) delivers the stored bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { closeTransports, sendOutgoingMail } from '@parley/api/mail/outbound/send-outgoing-mail.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { startMailTestApi, startSmtpSink, type SmtpSink } from '../support/mail.ts';
import { SETTINGS, SIGN_UP, gqlFrom, uniqueIp } from '../support/portal.ts';
import type { TestApi } from '../support/api.ts';

let sink: SmtpSink;
let api: TestApi;
let t: TenantFixture;

beforeAll(async () => {
  sink = await startSmtpSink();
  api = await startMailTestApi({ MAIL_RELAY_URL: sink.url, PUBLIC_WEB_URL: 'https://help.example' });
  t = await createTenantFixture(api);
  await api.gql(SETTINGS, { input: { allowSignUp: true } }, t.admin.token);
});
afterAll(async () => {
  closeTransports();
  await api?.close();
  await sink?.close();
});

describe('account mail delivery', () => {
  it('sends the verification mail from the tenant address, marked as automatic, with the link', async () => {
    const email = `mailed.${Date.now()}@example.com`;
    const res = await gqlFrom(api, uniqueIp(), SIGN_UP, { input: { tenantSlug: t.slug, name: 'Mia Mail', email, password: 'mia-password-1' } });
    expect(res.data.signUp.__typename).toBe('SignUpSuccess');
    const row = await withTenant(api.services.db, t.tenant.id, (tx) => tx.outgoingMail.findFirstOrThrow({ where: { recipients: { has: email } } }));
    expect(row).toMatchObject({ status: 'PENDING', ticketId: null, envelopeFrom: `support@${t.slug}.localhost` });

    expect(await sendOutgoingMail(api.services, t.tenant.id, row.id)).toBe('sent');
    const [sent] = (await sink.waitFor((ms) => ms.some((m) => m.to.includes(email)))).filter((m) => m.to.includes(email));
    expect(sent.from).toBe(`support@${t.slug}.localhost`);
    expect(sent.subject).toContain('Confirm your e-mail address');
    expect(sent.text).toMatch(new RegExp(`https://help\\.example/t/${t.slug}/portal/verify\\?token=\\S+`));
    expect(String(sent.headers.get('auto-submitted'))).toContain('auto-generated');
    const after = await withTenant(api.services.db, t.tenant.id, (tx) => tx.outgoingMail.findUniqueOrThrow({ where: { id: row.id } }));
    expect(after.status).toBe('SENT');
  });
});

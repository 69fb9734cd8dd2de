import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { withTenant } from '@parley/db';
import { recordOutgoingMail, ticketMailData } from '@parley/api/mail/outbound/enqueue-outgoing-mail.ts';
import { contrastWithWhite } from '@parley/api/branding/contrast.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';

// Tenant branding: display name, primary colour (WCAG AA against white), logo (type and size
// checked); public by slug for the portal; used in outgoing mail; tenant B sees only its own.

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  api = await startTestApi();
  [a, b] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(() => api.close());

const UPDATE = `mutation($input: UpdateBrandingInput!) { updateBranding(input: $input) { __typename ... on UpdateBrandingSuccess { branding { name displayName primaryColor } } ... on ValidationError { field message } } }`;
const LOGO = `mutation($input: SetBrandingLogoInput!) { setBrandingLogo(input: $input) { __typename ... on SetBrandingLogoSuccess { branding { logoType logoVersion } } ... on ValidationError { field message } } }`;
const PUBLIC = `query($slug: String) { branding(tenantSlug: $slug) { name primaryColor logoType logoVersion } }`;
// 1×1 transparent PNG
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
    expect(contrastWithWhite('#767676')).toBeCloseTo(4.54, 2); // the classic lightest AA grey
  });
});

describe('branding', () => {
  it('the admin sets name and colour; a colour that fails AA against white is refused', async () => {
    const ok = await api.gql(UPDATE, { input: { displayName: 'Acme Support', primaryColor: '#0B6E4F' } }, a.admin.token);
    expect(ok.data.updateBranding.branding).toEqual({ name: 'Acme Support', displayName: 'Acme Support', primaryColor: '#0b6e4f' });
    const light = await api.gql(UPDATE, { input: { primaryColor: '#ffcc00' } }, a.admin.token);
    expect(light.data.updateBranding).toMatchObject({ __typename: 'ValidationError', field: 'primaryColor', message: expect.stringMatching(/contrast of 1\.\d\d:1/) });
    const notColour = await api.gql(UPDATE, { input: { primaryColor: 'red;background:url(x)' } }, a.admin.token);
    expect(notColour.data.updateBranding).toMatchObject({ __typename: 'ValidationError', field: 'primaryColor' });
    // refused changes left the colour as it was
    expect((await api.gql(PUBLIC, { slug: a.slug }, null)).data.branding).toMatchObject({ name: 'Acme Support', primaryColor: '#0b6e4f' });
    expect((await api.gql(UPDATE, { input: { primaryColor: '#0B6E4F' } }, a.agent.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('logo: only real images of the declared type, at most 256 KiB', async () => {
    const png = await api.gql(LOGO, { input: { contentType: 'image/png', base64: PNG } }, a.admin.token);
    expect(png.data.setBrandingLogo.branding).toEqual({ logoType: 'image/png', logoVersion: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const svg = await api.gql(LOGO, { input: { contentType: 'image/svg+xml', base64: Buffer.from('<svg onload="alert(1)"/>').toString('base64') } }, a.admin.token);
    expect(svg.data.setBrandingLogo).toMatchObject({ __typename: 'ValidationError', field: 'contentType' });
    const lying = await api.gql(LOGO, { input: { contentType: 'image/jpeg', base64: PNG } }, a.admin.token);
    expect(lying.data.setBrandingLogo).toMatchObject({ __typename: 'ValidationError', field: 'logo' });
    const html = await api.gql(LOGO, { input: { contentType: 'image/png', base64: Buffer.from('<html><script>x</script>').toString('base64') } }, a.admin.token);
    expect(html.data.setBrandingLogo).toMatchObject({ __typename: 'ValidationError', field: 'logo' });
    const big = Buffer.concat([Buffer.from(PNG, 'base64'), Buffer.alloc(300 * 1024)]).toString('base64');
    const tooBig = await api.gql(LOGO, { input: { contentType: 'image/png', base64: big } }, a.admin.token);
    expect(tooBig.data.setBrandingLogo.__typename).toBe('ValidationError');

    const served = await api.gql(`query($slug: String) { brandingLogo(tenantSlug: $slug) { contentType base64 } }`, { slug: a.slug }, null);
    expect(served.data.brandingLogo).toEqual({ contentType: 'image/png', base64: PNG });
    const removed = await api.gql(`mutation { removeBrandingLogo { ... on RemoveBrandingLogoSuccess { branding { logoType } } } }`, {}, a.admin.token);
    expect(removed.data.removeBrandingLogo.branding.logoType).toBeNull();
    expect((await api.gql(`query($slug: String) { brandingLogo(tenantSlug: $slug) { contentType } }`, { slug: a.slug }, null)).data.brandingLogo).toBeNull();
  });

  it('tenant B sees its own branding, never A\'s; unknown slugs give nothing', async () => {
    await api.gql(UPDATE, { input: { displayName: 'Acme Support', primaryColor: '#0b6e4f' } }, a.admin.token);
    await api.gql(LOGO, { input: { contentType: 'image/png', base64: PNG } }, a.admin.token);
    // a signed-in member of B gets B's branding even when naming A's slug
    expect((await api.gql(PUBLIC, { slug: a.slug }, b.admin.token)).data.branding).toEqual({ name: b.tenant.name, primaryColor: null, logoType: null, logoVersion: null });
    expect((await api.gql(PUBLIC, { slug: a.slug }, b.customer.token)).data.branding.name).toBe(b.tenant.name);
    expect((await api.gql(`query($slug: String) { brandingLogo(tenantSlug: $slug) { contentType } }`, { slug: a.slug }, b.admin.token)).data.brandingLogo).toBeNull();
    expect((await api.gql(PUBLIC, { slug: 'no-such-tenant' }, null)).data.branding).toBeNull();
    expect((await api.gql(PUBLIC, {}, null)).data.branding).toBeNull();
  });

  it('outgoing mail carries the display name and an HTML part in the primary colour', async () => {
    await api.gql(UPDATE, { input: { displayName: 'Acme <Support>', primaryColor: '#0b6e4f' } }, a.admin.token);
    const queue = { name: 'Support', systemAddress: null, salutation: null, signature: null };
    const ticket = { id: '00000000-0000-7000-8000-000000000001', number: '2026120410000011', title: 'Printer' };
    const raw = await withTenant(api.services.db, a.tenant.id, async (tx) => {
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: a.tenant.id } });
      const t = await tx.ticket.create({ data: { tenantId: a.tenant.id, number: ticket.number, title: ticket.title, queueId: a.queue('Support').id, stateId: (await tx.ticketState.findFirstOrThrow({ where: { type: 'NEW' } })).id, priorityId: (await tx.priority.findFirstOrThrow()).id } });
      const row = await recordOutgoingMail(tx, { kind: 'AUTO_RESPONSE', tenant, queue, ticket: { ...ticket, id: t.id }, to: ['c@customer.example'], subject: 'Thanks', body: 'We got <your> mail.', data: ticketMailData({ tenant, queue, ticket }), mailDomain: 'localhost' });
      return (await tx.outgoingMail.findUniqueOrThrow({ where: { id: row.id } })).raw;
    });
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.from?.value[0].name).toBe('Acme <Support>');
    expect(parsed.text).toContain('We got <your> mail.');
    expect(parsed.html).toContain('background:#0b6e4f');
    expect(parsed.html).toContain('Acme &lt;Support&gt;');
    expect(parsed.html).toContain('We got &lt;your&gt; mail.');
  });
});

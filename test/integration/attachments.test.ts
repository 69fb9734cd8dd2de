import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { PNG, download, upload, uploadOne } from '../support/attachments.ts';
import { storeRawMail } from '@parley/api/mail/inbound/store-raw-mail.ts';
import { ingestMail } from '@parley/api/mail/inbound/ingest-mail.ts';
import { closeQueues } from '@parley/api/jobs/job-queue.ts';

const ADD_ARTICLE = `mutation($input: AddArticleInput!) { addArticle(input: $input) {
  __typename
  ... on AddArticleSuccess { result { article { id visibleToCustomer attachments { id filename contentType size } } } }
  ... on AttachmentUnusableError { attachmentId reason message }
  ... on Error { code message } } }`;
const CREATE_TICKET = `mutation($input: CreateTicketInput!) { createTicket(input: $input) {
  __typename
  ... on CreateTicketSuccess { ticket { id number articles { edges { node { attachments { id filename size } } } } } }
  ... on AttachmentUnusableError { attachmentId reason }
  ... on Error { code message } } }`;

const LIMITS = { ATTACHMENT_MAX_FILE_BYTES: '4096', ATTACHMENT_MAX_REQUEST_BYTES: '10000', ATTACHMENT_MAX_FILES: '3' };
let api: TestApi;
let dir: string;
let f: TenantFixture;
let g: TenantFixture;

const blobFiles = () => (existsSync(join(dir, 'upl')) ? readdirSync(join(dir, 'upl'), { recursive: true }).filter((p) => String(p).includes('.') === false && !String(p).endsWith(f.tenant.id) && !String(p).endsWith(g.tenant.id)) : []);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-att-'));
  api = await startTestApi({ ATTACHMENT_DIR: dir, ...LIMITS });
  f = await createTenantFixture(api);
  g = await createTenantFixture(api);
});
afterAll(async () => {
  await closeQueues();
  await api.close();
});

async function reply(token: string, input: Record<string, unknown>) {
  const res = await api.gql(ADD_ARTICLE, { input }, token);
  expect(res.errors).toBeUndefined();
  return res.data.addArticle;
}

describe('POST /attachments', () => {
  it('stores files, sniffs the content type and sanitizes the name', async () => {
    const r = await upload(api, f.agent.token, [
      { name: 'C:\\Users\\x\\..\\screen\u202egnp.shot.png', content: PNG, type: 'text/plain' },
      { name: '../../evil.html', content: '<!DOCTYPE html><script>alert(1)</script>', type: 'image/png' },
      { name: 'notes.txt', content: 'plain words', type: 'text/plain; charset=utf-8' },
    ]);
    expect(r.status).toBe(201);
    expect(r.uploads.map((u) => [u.filename, u.contentType, u.size])).toEqual([
      ['screengnp.shot.png', 'image/png', PNG.length],
      ['evil.html', 'text/html', 40],
      ['notes.txt', 'text/plain', 11],
    ]);
    const rows = await withTenant(api.services.db, f.tenant.id, (tx) => tx.attachmentUpload.findMany({ where: { id: { in: r.uploads.map((u) => u.id) } } }));
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.uploadedByUserId === f.agent.id && row.boundAt === null && /^[0-9a-f]{64}$/.test(row.sha256))).toBe(true);
    expect(await api.services.blobs.get(rows.find((row) => row.filename.endsWith('.png'))!.storageKey)).toEqual(PNG);
  });

  it('needs a bearer token: anonymous and cookie-only requests get 401', async () => {
    expect((await upload(api, null, [{ name: 'a.txt', content: 'x' }])).status).toBe(401);
    const cookie = await upload(api, null, [{ name: 'a.txt', content: 'x' }], { cookie: `parley_session=${f.agent.token}` });
    expect(cookie.status).toBe(401);
    expect(cookie.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a file over the per-file limit with 413 and a clear message, keeping no bytes', async () => {
    const before = blobFiles().length;
    const r = await upload(api, f.customer.token, [{ name: 'small.txt', content: 'ok' }, { name: 'big.bin', content: Buffer.alloc(5000, 1) }]);
    expect(r.status).toBe(413);
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 'file', max: 4096 } });
    expect(r.body.errors?.[0].message).toBe('The file "big.bin" is larger than 4096 bytes');
    expect(blobFiles().length).toBe(before);
    const rows = await withTenant(api.services.db, f.tenant.id, (tx) => tx.attachmentUpload.count({ where: { uploadedByCustomerUserId: f.customer.id } }));
    expect(rows).toBe(0);
  });

  it('refuses too many files and too many bytes per request with 413', async () => {
    const many = await upload(api, f.agent.token, [1, 2, 3, 4].map((i) => ({ name: `${i}.txt`, content: 'x' })));
    expect(many.status).toBe(413);
    expect(many.body.errors?.[0].message).toBe('At most 3 files per upload');
    const heavy = await upload(api, f.agent.token, [1, 2, 3].map((i) => ({ name: `${i}.bin`, content: Buffer.alloc(4000, i) })));
    expect(heavy.status).toBe(413);
    expect(heavy.body.errors?.[0].message).toContain('larger than');
    // A declared Content-Length over the limit is refused before a byte of the body is sent.
    const early = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(new URL('/attachments', api.url), {
        method: 'POST', headers: { authorization: `Bearer ${f.agent.token}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': '200000' },
      }, (res) => {
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(early.status).toBe(413);
    expect(JSON.parse(early.body).errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limit: 'request', max: 10000 });
  });

  it('a read-only API key cannot upload, a write key can; a request without a file is a 400', async () => {
    const create = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { ... on CreateApiKeySuccess { created { secret } } } }`;
    const ro = (await api.gql(create, { i: { name: 'ro', scopes: ['TICKETS_READ'] } }, f.admin.token)).data.createApiKey.created.secret;
    const rw = (await api.gql(create, { i: { name: 'rw', scopes: ['TICKETS_READ', 'TICKETS_WRITE'] } }, f.admin.token)).data.createApiKey.created.secret;
    const denied = await upload(api, ro, [{ name: 'a.txt', content: 'x' }]);
    expect(denied.status).toBe(403);
    expect(denied.body.errors?.[0].message).toContain('tickets:write');
    expect((await upload(api, rw, [{ name: 'a.txt', content: 'x' }])).status).toBe(201);
    const empty = await upload(api, f.agent.token, []);
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.[0].message).toBe('The request contains no file');
  });
});

describe('attachmentIds on addArticle / createTicket', () => {
  it('binds uploads to a reply; the reply mail carries the file; a second use and foreign ids are typed errors', async () => {
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Need the report', body: 'Please send it' });
    const id = await uploadOne(api, f.agent.token, { name: 'report.txt', content: 'quarterly numbers', type: 'text/plain' });
    const ok = await reply(f.agent.token, { ticketId: t.id, body: 'Here it is', attachmentIds: [id] });
    expect(ok.__typename).toBe('AddArticleSuccess');
    expect(ok.result.article.attachments).toEqual([{ id, filename: 'report.txt', contentType: 'text/plain', size: 17 }]);

    const mail = await withTenant(api.services.db, f.tenant.id, (tx) => tx.outgoingMail.findFirstOrThrow({ where: { articleId: ok.result.article.id } }));
    const raw = Buffer.from(mail.raw).toString('utf8');
    expect(raw).toMatch(/Content-Disposition: attachment; filename=report\.txt/i);
    expect(raw).toContain(Buffer.from('quarterly numbers').toString('base64'));

    const again = await reply(f.agent.token, { ticketId: t.id, body: 'Again', attachmentIds: [id] });
    expect(again).toMatchObject({ __typename: 'AttachmentUnusableError', attachmentId: id, reason: 'ALREADY_USED' });

    const bobs = await uploadOne(api, f.agent2.token, { name: 'bob.txt', content: 'bob' });
    expect(await reply(f.agent.token, { ticketId: t.id, body: 'Not mine', attachmentIds: [bobs] })).toMatchObject({ __typename: 'AttachmentUnusableError', reason: 'NOT_FOUND' });
    // The failed reply wrote nothing: no article, Bob's upload still unbound.
    const articles = await withTenant(api.services.db, f.tenant.id, (tx) => tx.article.count({ where: { bodyText: 'Not mine' } }));
    expect(articles).toBe(0);
    expect((await withTenant(api.services.db, f.tenant.id, (tx) => tx.attachmentUpload.findUniqueOrThrow({ where: { id: bobs } }))).boundAt).toBeNull();
  });

  it('two messages racing for one upload: exactly one gets it', async () => {
    const t1 = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Race 1', body: 'a' });
    const t2 = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Race 2', body: 'b' });
    const id = await uploadOne(api, f.agent.token, { name: 'race.txt', content: 'one' });
    const results = await Promise.all([t1, t2].map((t) => reply(f.agent.token, { ticketId: t.id, kind: 'NOTE', body: 'race', attachmentIds: [id] })));
    expect(results.map((r) => r.__typename).sort()).toEqual(['AddArticleSuccess', 'AttachmentUnusableError']);
    expect(await withTenant(api.services.db, f.tenant.id, (tx) => tx.attachment.count({ where: { id } }))).toBe(1);
  });

  it('tenant B cannot attach (or see) tenant A\'s upload', async () => {
    const aId = await uploadOne(api, f.agent.token, { name: 'secret.txt', content: 'tenant A only' });
    const tb = await openTicket(api, g.customer.token, { queueId: g.queue('Support').id, title: 'B ticket', body: 'hi' });
    expect(await reply(g.agent.token, { ticketId: tb.id, body: 'steal', attachmentIds: [aId] })).toMatchObject({ __typename: 'AttachmentUnusableError', reason: 'NOT_FOUND' });
    const res = await api.gql(CREATE_TICKET, { input: { queueId: g.queue('Support').id, title: 'x', body: 'y', attachmentIds: [aId] } }, g.customer.token);
    expect(res.data.createTicket).toMatchObject({ __typename: 'AttachmentUnusableError', reason: 'NOT_FOUND' });
    const tA = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'A ticket', body: 'hi' });
    const bound = await reply(f.agent.token, { ticketId: tA.id, body: 'for A', attachmentIds: [aId] });
    expect(bound.__typename).toBe('AddArticleSuccess');
    expect((await download(api, g.agent.token, aId)).status).toBe(404);
    expect((await download(api, g.admin.token, aId)).status).toBe(404);
    expect((await download(api, g.customer.token, aId)).status).toBe(404);
    expect((await download(api, f.agent.token, aId)).status).toBe(200);
  });

  it('a customer opens a ticket with an attachment; agents download it', async () => {
    const id = await uploadOne(api, f.customer.token, { name: 'screenshot.png', content: PNG, type: 'image/png' });
    const res = await api.gql(CREATE_TICKET, { input: { queueId: f.queue('Support').id, title: 'Broken page', body: 'See the screenshot', attachmentIds: [id] } }, f.customer.token);
    expect(res.data.createTicket.__typename).toBe('CreateTicketSuccess');
    expect(res.data.createTicket.ticket.articles.edges[0].node.attachments).toEqual([{ id, filename: 'screenshot.png', size: PNG.length }]);
    const got = await download(api, f.agent.token, id);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toBe(`inline; filename="screenshot.png"; filename*=UTF-8''screenshot.png`);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(PNG);
    // the reader has read permission on Support
    expect((await download(api, f.reader.token, id)).status).toBe(200);
  });
});

describe('GET /attachments/:id permissions and headers', () => {
  it('customers get attachments of visible articles of their own or company tickets, never of internal notes', async () => {
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'Invoice', body: 'Where is it?' });
    const publicId = await uploadOne(api, f.agent.token, { name: 'Rechnung März.pdf', content: '%PDF-1.4 fake', type: 'application/pdf' });
    const noteId = await uploadOne(api, f.agent.token, { name: 'internal.txt', content: 'agents only', type: 'text/plain' });
    const htmlId = await uploadOne(api, f.agent.token, { name: 'page.html', content: '<html><script>alert(1)</script></html>', type: 'text/html' });
    expect((await reply(f.agent.token, { ticketId: t.id, body: 'Attached', attachmentIds: [publicId, htmlId] })).__typename).toBe('AddArticleSuccess');
    const note = await reply(f.agent.token, { ticketId: t.id, kind: 'NOTE', body: 'Internal', attachmentIds: [noteId] });
    expect(note.result.article.visibleToCustomer).toBe(false);

    const pdf = await download(api, f.customer.token, publicId);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`);
    expect(pdf.headers.get('x-content-type-options')).toBe('nosniff');
    expect(pdf.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(await pdf.text()).toBe('%PDF-1.4 fake');
    const html = await download(api, f.customer.token, htmlId);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(html.headers.get('content-disposition')).toMatch(/^attachment;/);

    expect((await download(api, f.customer.token, noteId)).status).toBe(404);
    expect((await download(api, f.colleague.token, noteId)).status).toBe(404);
    expect((await download(api, f.agent.token, noteId)).status).toBe(200);
    expect((await download(api, f.colleague.token, publicId)).status).toBe(200); // sees company tickets
    expect((await download(api, f.stranger.token, publicId)).status).toBe(404);
    // the reader may read Support only; this ticket is in Billing
    expect((await download(api, f.reader.token, publicId)).status).toBe(404);
    expect((await download(api, null, publicId)).status).toBe(401);
    // an upload that was never attached cannot be downloaded, not even by its uploader
    const loose = await uploadOne(api, f.agent.token, { name: 'loose.txt', content: 'x' });
    expect((await download(api, f.agent.token, loose)).status).toBe(404);
  });
});

describe('retention and rate limits', () => {
  it('retention (ANONYMIZE) deletes uploaded files\' rows and bytes of the tickets it covers', async () => {
    const h = await createTenantFixture(api);
    const t = await openTicket(api, h.customer.token, { queueId: h.queue('Support').id, title: 'Old', body: 'old' });
    const id = await uploadOne(api, h.agent.token, { name: 'old.txt', content: 'private' });
    expect((await reply(h.agent.token, { ticketId: t.id, body: 'file', attachmentIds: [id] })).__typename).toBe('AddArticleSuccess');
    const key = (await withTenant(api.services.db, h.tenant.id, (tx) => tx.attachment.findUniqueOrThrow({ where: { id } }))).storageKey;
    expect(await api.services.blobs.exists(key)).toBe(true);
    await withTenant(api.services.db, h.tenant.id, async (tx) => {
      const closed = await tx.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } });
      await tx.ticket.updateMany({ where: { title: 'Old' }, data: { stateId: closed.id, closedAt: new Date(Date.now() - 400 * 86_400_000) } });
    });
    await api.gql(`mutation($i: RetentionPolicyInput!) { setRetentionPolicy(input: $i) { __typename } }`, { i: { retentionMonths: 6, retentionAction: 'ANONYMIZE' } }, h.admin.token);
    const res = await api.gql(`mutation { applyRetention(expectedCount: 1) { __typename } }`, {}, h.admin.token);
    expect(res.data.applyRetention.__typename).toBe('ApplyRetentionSuccess');
    expect(await withTenant(api.services.db, h.tenant.id, (tx) => tx.attachment.count({ where: { id } }))).toBe(0);
    expect(await api.services.blobs.exists(key)).toBe(false);
  });

  it('uploads per account are rate limited (429 with Retry-After)', async () => {
    const strict = await startTestApi({ ATTACHMENT_DIR: dir, ATTACHMENT_UPLOADS_PER_MIN: '2' });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await upload(strict, f.colleague.token, [{ name: `${i}.txt`, content: 'x' }])).status);
      expect(statuses).toEqual([201, 201, 429]);
      const res = await fetch(new URL('/attachments', strict.url), { method: 'POST', headers: { authorization: `Bearer ${f.colleague.token}` }, body: new FormData() });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });
});

it('attachments that came in by mail download too, for agents of the tenant only', async () => {
  const raw = [
    `From: Dana <dana@cust.example>`, `To: support@${f.slug}.localhost`, 'Subject: Log from the device', 'Message-ID: <log-1@cust.example>',
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
    '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'Log attached.', '',
    '--b1', 'Content-Type: text/plain; name="device.log"', 'Content-Disposition: attachment; filename="device.log"', 'Content-Transfer-Encoding: base64', '',
    Buffer.from('E1 overheating\n').toString('base64'), '--b1--', '',
  ].join('\r\n');
  const stored = await storeRawMail(api.services, { tenantId: f.tenant.id, source: 'HTTP', raw: Buffer.from(raw), recipients: [`support@${f.slug}.localhost`], remoteAddress: '203.0.113.9' });
  const r = await ingestMail(api.services, f.tenant.id, stored.id);
  expect(r.status).toBe('PROCESSED');
  const att = await withTenant(api.services.db, f.tenant.id, (tx) => tx.attachment.findFirstOrThrow({ where: { article: { ticketId: r.ticketId! }, filename: 'device.log' } }));
  const got = await download(api, f.admin.token, att.id);
  expect(got.status).toBe(200);
  expect(await got.text()).toBe('E1 overheating\n');
  expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="device.log"/);
  expect((await download(api, g.admin.token, att.id)).status).toBe(404);
});

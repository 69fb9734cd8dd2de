import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { Busboy, type BusboyFileStream } from '@fastify/busboy';
import type { RequestEvent } from '@sveltejs/kit';
import { formatBytes } from '#lib/i18n/index.ts';
import { config } from './config.ts';

type MinimalEvent = Pick<RequestEvent, 'locals' | 'request' | 'getClientAddress'>;

/** The API's base URL (PARLEY_API_URL names its /graphql endpoint). */
export const apiBase = () => new URL('/', config.apiUrl);

/** Why the files of a form could not be uploaded, as a message key of the attachments area. */
export interface UploadFailure {
	status: number;
	error: 'attachments.err.fileTooLarge' | 'attachments.err.requestTooLarge' | 'attachments.err.tooMany' | 'attachments.err.failed';
	params?: Record<string, string>;
}

export interface PostedForm {
	/** The form's text fields (files are not in it) */
	form: FormData;
	/** Upload ids of the files the form carried, in order (pass as attachmentIds) */
	attachmentIds: string[];
	failure: UploadFailure | null;
}

const quote = (s: string) => s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * Reads a form post. A multipart one is parsed as it arrives: text fields are collected, and
 * file fields are streamed on, without buffering, as one multipart request to the API's
 * POST /attachments with the session token — so a form with files works without JavaScript.
 * Empty file inputs are skipped. Any other post is read with `request.formData()`.
 */
export async function readPostedForm(event: MinimalEvent): Promise<PostedForm> {
	const type = event.request.headers.get('content-type') ?? '';
	if (!/^multipart\/form-data/i.test(type) || !event.request.body) {
		return { form: await event.request.formData(), attachmentIds: [], failure: null };
	}
	const form = new FormData();
	const boundary = `----parley${randomBytes(12).toString('hex')}`;
	let outgoing: PassThrough | null = null;
	let response: Promise<Response> | null = null;
	let current: BusboyFileStream | null = null;
	let broken = false;

	const open = () => {
		const pass = new PassThrough();
		const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${boundary}` };
		if (event.locals.sessionToken) headers.authorization = `Bearer ${event.locals.sessionToken}`;
		response = fetch(new URL('/attachments', apiBase()), {
			method: 'POST',
			headers,
			body: Readable.toWeb(pass) as ReadableStream,
			duplex: 'half'
		} as RequestInit);
		// The API may answer (413) before it read everything: drop the rest of the files, keep parsing fields.
		response.catch(() => undefined).finally(() => {
			broken = true;
			current?.unpipe();
			current?.resume();
		});
		pass.on('error', () => undefined);
		return pass;
	};

	await new Promise<void>((resolve, reject) => {
		const bb = Busboy({ headers: { 'content-type': type }, limits: { fields: 200, fieldSize: 2 * 1024 * 1024 } });
		let chain = Promise.resolve();
		bb.on('field', (name: string, value: string) => form.append(name, value));
		bb.on('file', (_name: string, file: BusboyFileStream, filename: string, _enc: string, mime: string) => {
			if (!filename || broken) return void file.resume();
			outgoing ??= open();
			const out = outgoing;
			chain = chain.then(() => new Promise<void>((done) => {
				if (broken) {
					file.resume();
					return done();
				}
				current = file;
				out.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(filename)}"\r\nContent-Type: ${mime || 'application/octet-stream'}\r\n\r\n`);
				file.pipe(out, { end: false });
				file.on('end', () => {
					current = null;
					if (!broken) out.write('\r\n');
					done();
				});
			}));
		});
		bb.on('finish', () => void chain.then(() => resolve()));
		bb.on('error', reject);
		Readable.fromWeb(event.request.body as never).on('error', reject).pipe(bb);
	});

	if (!outgoing || !response) return { form, attachmentIds: [], failure: null };
	(outgoing as PassThrough).end(`--${boundary}--\r\n`);
	return { form, ...(await uploadResult(event, response)) };
}

async function uploadResult(event: MinimalEvent, pending: Promise<Response>): Promise<Omit<PostedForm, 'form'>> {
	try {
		const res = await pending;
		const body = (await res.json()) as {
			uploads?: { id: string }[];
			errors?: { extensions?: { code?: string; limit?: string; max?: number } }[];
		};
		if (res.status === 201 && body.uploads) return { attachmentIds: body.uploads.map((u) => u.id), failure: null };
		const ext = body.errors?.[0]?.extensions;
		if (res.status === 413 && ext?.max) {
			const max = ext.limit === 'count' ? String(ext.max) : formatBytes(event.locals.locale, ext.max);
			const params: Record<string, string> = ext.limit === 'count' ? { count: String(ext.max) } : { max };
			const error = ext.limit === 'file' ? 'attachments.err.fileTooLarge' : ext.limit === 'count' ? 'attachments.err.tooMany' : 'attachments.err.requestTooLarge';
			return { attachmentIds: [], failure: { status: 413, error, params } };
		}
		return { attachmentIds: [], failure: { status: res.status >= 400 ? res.status : 502, error: 'attachments.err.failed' } };
	} catch {
		return { attachmentIds: [], failure: { status: 502, error: 'attachments.err.failed' } };
	}
}

// Reprocess and dismiss, shared by the failed-mail list and a failed mail's page.
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { DISMISS_MAIL, RETRY_MAIL, type Result } from '#lib/graphql/admin-mail.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, text } from '#lib/server/admin.ts';

export async function retryMail(event: RequestEvent) {
	const data = await event.request.formData();
	const res = await graphqlRequest<{ retryInboundMail: Result<'inboundMail', { id: string }> }>(event, RETRY_MAIL, { id: text(data, 'id') });
	const failure = adminFailure('mail', res.retryInboundMail);
	if (failure) return failure;
	redirect(303, '/admin/mail/failed?done=retried');
}

export async function dismissMail(event: RequestEvent) {
	const data = await event.request.formData();
	const res = await graphqlRequest<{ dismissInboundMail: Result<'inboundMail', { id: string }> }>(event, DISMISS_MAIL, { id: text(data, 'id') });
	const failure = adminFailure('mail', res.dismissInboundMail);
	if (failure) return failure;
	redirect(303, '/admin/mail/failed?done=dismissed');
}

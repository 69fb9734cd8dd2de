import { error } from '@sveltejs/kit';
import { FAILED_MAIL, type FailedMailResult, type MailSource } from '#lib/graphql/admin-mail.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { dismissMail, retryMail } from '../actions.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	if (!/^[0-9a-f-]{36}$/i.test(event.params.id)) error(404, 'Not found');
	const data = await graphqlRequest<FailedMailResult>(event, FAILED_MAIL, { id: event.params.id });
	if (!data.inboundMail) error(404, 'Not found');
	const src = data.inboundMailSource;
	return { mail: data.inboundMail, source: 'source' in src ? (src.source as MailSource) : null };
};

export const actions: Actions = { retry: retryMail, dismiss: dismissMail };

import { redirect } from '@sveltejs/kit';
import {
	CREATE_MAIL_ACCOUNT,
	DELETE_MAIL_ACCOUNT,
	MAIL_ACCOUNTS,
	TEST_MAIL_ACCOUNT,
	TEST_SMTP,
	UPDATE_MAIL_ACCOUNT,
	UPDATE_SMTP,
	type ConnectionTest,
	type MailAccountsResult,
	type Result
} from '#lib/graphql/admin-mail.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, checked, invalidField, optInt, optText, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<MailAccountsResult>(event, MAIL_ACCOUNTS);
	const editId = event.url.searchParams.get('edit');
	return { ...data, editing: data.mailAccounts.find((a) => a.id === editId) ?? null };
};

const back = (what: string) => redirect(303, `/admin/mail/accounts?saved=${what}`);

export const actions: Actions = {
	saveAccount: async (event) => {
		const data = await event.request.formData();
		const port = optInt(data, 'port');
		if (Number.isNaN(port)) return invalidField('account', 'port', data);
		const id = optText(data, 'id');
		const password = data.get('password');
		const input = {
			host: text(data, 'host'),
			port: port ?? (checked(data, 'secure') ? 993 : 143),
			secure: checked(data, 'secure'),
			username: text(data, 'username'),
			password: typeof password === 'string' ? password : '',
			mailbox: text(data, 'mailbox') || 'INBOX',
			afterFetch: text(data, 'afterFetch') === 'MARK_SEEN' ? 'MARK_SEEN' : 'DELETE',
			queueId: optText(data, 'queueId')
		};
		if (id) {
			const res = await graphqlRequest<{ updateMailAccount: Result<'mailAccount', { id: string }> }>(event, UPDATE_MAIL_ACCOUNT, {
				id,
				input: { ...input, password: input.password || null, active: checked(data, 'active') }
			});
			const failure = adminFailure('account', res.updateMailAccount, data);
			if (failure) return failure;
		} else {
			const res = await graphqlRequest<{ createMailAccount: Result<'mailAccount', { id: string }> }>(event, CREATE_MAIL_ACCOUNT, { input });
			const failure = adminFailure('account', res.createMailAccount, data);
			if (failure) return failure;
		}
		back('account');
	},
	deleteAccount: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ deleteMailAccount: Result<'mailAccount', { id: string }> }>(event, DELETE_MAIL_ACCOUNT, { id: text(data, 'id') });
		const failure = adminFailure('list', res.deleteMailAccount);
		if (failure) return failure;
		back('deleted');
	},
	testAccount: async (event) => {
		const data = await event.request.formData();
		const id = text(data, 'id');
		const res = await graphqlRequest<{ testMailAccount: Result<'test', ConnectionTest> }>(event, TEST_MAIL_ACCOUNT, { id });
		const failure = adminFailure('list', res.testMailAccount);
		if (failure) return failure;
		return { form: 'test', testedId: id, test: (res.testMailAccount as { test: ConnectionTest }).test };
	},
	saveSmtp: async (event) => {
		const data = await event.request.formData();
		const port = optInt(data, 'smtpPort');
		if (Number.isNaN(port)) return invalidField('smtp', 'smtpPort', data);
		const password = text(data, 'smtpPassword');
		const input: Record<string, unknown> = {
			smtpHost: text(data, 'smtpHost'),
			smtpSecure: checked(data, 'smtpSecure'),
			smtpUser: text(data, 'smtpUser'),
			...(port !== null ? { smtpPort: port } : {}),
			// write-only: an empty field keeps the stored password
			...(password ? { smtpPassword: password } : {})
		};
		const res = await graphqlRequest<{ updateMailSettings: Result<'mailSettings', unknown> }>(event, UPDATE_SMTP, { input });
		const failure = adminFailure('smtp', res.updateMailSettings, data);
		if (failure) return failure;
		back('smtp');
	},
	testSmtp: async (event) => {
		const res = await graphqlRequest<{ testSmtpSettings: Result<'test', ConnectionTest> }>(event, TEST_SMTP);
		const failure = adminFailure('smtp', res.testSmtpSettings);
		if (failure) return failure;
		return { form: 'test', testedId: 'smtp', test: (res.testSmtpSettings as { test: ConnectionTest }).test };
	}
};

import { FAILED_MAILS, type FailedMailsResult } from '#lib/graphql/admin-mail.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { dismissMail, retryMail } from './actions.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => graphqlRequest<FailedMailsResult>(event, FAILED_MAILS);

export const actions: Actions = { retry: retryMail, dismiss: dismissMail };

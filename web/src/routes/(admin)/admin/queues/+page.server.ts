import { ADMIN_QUEUES, type AdminQueuesResult } from '#lib/graphql/admin.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => graphqlRequest<AdminQueuesResult>(event, ADMIN_QUEUES);

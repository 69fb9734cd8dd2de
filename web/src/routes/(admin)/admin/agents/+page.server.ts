import { ADMIN_AGENTS, type AdminAgentsResult } from '#lib/graphql/admin.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => graphqlRequest<AdminAgentsResult>(event, ADMIN_AGENTS);

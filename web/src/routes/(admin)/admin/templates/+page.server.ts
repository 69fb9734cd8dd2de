import { ADMIN_TEMPLATES, type AdminTemplatesResult } from '#lib/graphql/admin.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => graphqlRequest<AdminTemplatesResult>(event, ADMIN_TEMPLATES);

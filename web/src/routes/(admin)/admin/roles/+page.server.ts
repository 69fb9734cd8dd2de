import { redirect } from '@sveltejs/kit';
import {
	ADMIN_ROLES,
	CREATE_ROLE,
	QUEUE_PERMISSIONS,
	SET_ROLE_PERMISSIONS,
	type AdminRolesResult,
	type QueuePermissionKind,
	type RoleMutationResult
} from '#lib/graphql/admin.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => graphqlRequest<AdminRolesResult>(event, ADMIN_ROLES);

export const actions: Actions = {
	create: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ createRole: RoleMutationResult }>(event, CREATE_ROLE, { name: text(data, 'name') });
		const failure = adminFailure('role', res.createRole, data);
		if (failure) return failure;
		redirect(303, `/admin/roles?saved=1#role-${res.createRole.__typename === 'CreateRoleSuccess' ? res.createRole.role.id : ''}`);
	},
	permissions: async (event) => {
		const data = await event.request.formData();
		const roleId = text(data, 'roleId');
		// checkboxes are named `perm` with the value `<queueId>:<PERMISSION>`
		const byQueue = new Map<string, QueuePermissionKind[]>();
		for (const raw of data.getAll('perm')) {
			if (typeof raw !== 'string') continue;
			const [queueId, perm] = raw.split(':');
			if (!queueId || !QUEUE_PERMISSIONS.includes(perm as QueuePermissionKind)) continue;
			byQueue.set(queueId, [...(byQueue.get(queueId) ?? []), perm as QueuePermissionKind]);
		}
		const queues = [...byQueue].map(([queueId, permissions]) => ({ queueId, permissions }));
		const res = await graphqlRequest<{ setRolePermissions: RoleMutationResult }>(event, SET_ROLE_PERMISSIONS, { roleId, queues });
		const failure = adminFailure(`role-${roleId}`, res.setRolePermissions);
		if (failure) return failure;
		redirect(303, `/admin/roles?saved=1#role-${roleId}`);
	}
};

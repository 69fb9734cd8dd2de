import { redirect } from '@sveltejs/kit';
import {
	ADMIN_QUEUES_FULL,
	CREATE_QUEUE,
	UPDATE_QUEUE,
	type AdminQueuesFullResult,
	type FollowUpOption,
	type QueueInput,
	type QueueMutationResult
} from '#lib/graphql/admin.ts';
import {
	AUTO_ASSIGN_STRATEGIES,
	QUEUE_AUTO_ASSIGN,
	SET_QUEUE_AUTO_ASSIGN,
	type AutoAssignStrategy,
	type QueueAutoAssignResult,
	type SetAutoAssignResult
} from '#lib/graphql/adminAutomation.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, all, checked, invalidField, optInt, optText, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const [data, assign] = await Promise.all([
		graphqlRequest<AdminQueuesFullResult>(event, ADMIN_QUEUES_FULL),
		graphqlRequest<QueueAutoAssignResult>(event, QUEUE_AUTO_ASSIGN)
	]);
	const editId = event.url.searchParams.get('edit');
	const autoAssign = Object.fromEntries(assign.queues.map((q) => [q.id, q.autoAssign]));
	return { ...data, autoAssign, editing: data.queues.find((q) => q.id === editId) ?? null };
};

/** The auto-assign select ("" = off): set when it differs from what the queue has. */
async function saveAutoAssign(event: Parameters<Actions[string]>[0], data: FormData, queueId: string) {
	const chosen = text(data, 'autoAssign');
	const strategy = (AUTO_ASSIGN_STRATEGIES as readonly string[]).includes(chosen) ? (chosen as AutoAssignStrategy) : null;
	if (text(data, 'autoAssignWas') === (strategy ?? '')) return null;
	const res = await graphqlRequest<{ setQueueAutoAssign: SetAutoAssignResult }>(event, SET_QUEUE_AUTO_ASSIGN, { queueId, strategy });
	return adminFailure('queue', res.setQueueAutoAssign, data);
}

const FOLLOW_UP: FollowUpOption[] = ['POSSIBLE', 'REJECT', 'NEW_TICKET'];

function queueInput(data: FormData): QueueInput | 'unlockTimeoutMinutes' {
	const unlock = optInt(data, 'unlockTimeoutMinutes');
	if (Number.isNaN(unlock)) return 'unlockTimeoutMinutes';
	const followUp = text(data, 'followUpOption') as FollowUpOption;
	return {
		name: text(data, 'name'),
		comment: optText(data, 'comment'),
		ticketPrefix: optText(data, 'ticketPrefix'),
		followUpOption: FOLLOW_UP.includes(followUp) ? followUp : 'POSSIBLE',
		followUpLock: checked(data, 'followUpLock'),
		unlockTimeoutMinutes: unlock,
		salutation: optText(data, 'salutation'),
		signature: optText(data, 'signature'),
		systemAddress: optText(data, 'systemAddress'),
		openToCustomers: checked(data, 'openToCustomers'),
		active: checked(data, 'active')
	};
}

export const actions: Actions = {
	create: async (event) => {
		const data = await event.request.formData();
		const input = queueInput(data);
		if (typeof input === 'string') return invalidField('queue', input, data);
		input.rwRoleIds = all(data, 'rwRoleIds');
		const res = await graphqlRequest<{ createQueue: QueueMutationResult }>(event, CREATE_QUEUE, { input });
		const failure = adminFailure('queue', res.createQueue, data);
		if (failure) return failure;
		const assignFailure = await saveAutoAssign(event, data, (res.createQueue as { queue: { id: string } }).queue.id);
		if (assignFailure) return assignFailure;
		redirect(303, '/admin/queues?saved=1');
	},
	update: async (event) => {
		const data = await event.request.formData();
		const input = queueInput(data);
		if (typeof input === 'string') return invalidField('queue', input, data);
		const res = await graphqlRequest<{ updateQueue: QueueMutationResult }>(event, UPDATE_QUEUE, { input: { ...input, id: text(data, 'id') } });
		const failure = adminFailure('queue', res.updateQueue, data);
		if (failure) return failure;
		const assignFailure = await saveAutoAssign(event, data, text(data, 'id'));
		if (assignFailure) return assignFailure;
		redirect(303, '/admin/queues?saved=1');
	}
};

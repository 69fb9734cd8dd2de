import { redirect } from '@sveltejs/kit';
import {
	ADMIN_SLAS,
	ASSIGN_SLA,
	CREATE_SLA,
	DELETE_SLA,
	REMOVE_SLA_ASSIGNMENT,
	UPDATE_SLA,
	type AdminSlasResult,
	type AssignmentResult,
	type SlaAction,
	type SlaInput,
	type SlaNotify,
	type SlaResult
} from '#lib/graphql/adminAutomation.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, checked, invalidField, optInt, optText, text } from '#lib/server/admin.ts';
import { fieldFailure } from '#lib/server/admin-automation.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<AdminSlasResult>(event, ADMIN_SLAS);
	const editId = event.url.searchParams.get('edit');
	return { ...data, editing: data.slas.find((s) => s.id === editId) ?? null };
};

const NOTIFY: SlaNotify[] = ['assigned', 'queue', 'none'];

function phaseActions(data: FormData, phase: 'warning' | 'breach'): SlaAction[] {
	const out: SlaAction[] = [];
	if (checked(data, `${phase}.raise`)) out.push({ type: 'raise_priority' });
	const queueId = text(data, `${phase}.moveQueue`);
	if (queueId) out.push({ type: 'move_queue', queueId });
	const userId = text(data, `${phase}.responsible`);
	if (userId) out.push({ type: 'set_responsible', userId });
	return out;
}

function slaInput(data: FormData): SlaInput | string {
	const numbers = {} as Record<'firstResponseMinutes' | 'updateMinutes' | 'solutionMinutes' | 'warnPercent', number | null>;
	for (const name of ['firstResponseMinutes', 'updateMinutes', 'solutionMinutes', 'warnPercent'] as const) {
		const n = optInt(data, name);
		if (Number.isNaN(n)) return name;
		numbers[name] = n;
	}
	const notify = text(data, 'notify') as SlaNotify;
	return {
		name: text(data, 'name'),
		calendarId: optText(data, 'calendarId'),
		...numbers,
		actions: { warning: phaseActions(data, 'warning'), breach: phaseActions(data, 'breach'), notify: NOTIFY.includes(notify) ? notify : 'assigned' }
	};
}

export const actions: Actions = {
	save: async (event) => {
		const data = await event.request.formData();
		const input = slaInput(data);
		if (typeof input === 'string') return invalidField('sla', input, data);
		const id = text(data, 'id');
		const res = id
			? (await graphqlRequest<{ updateSla: SlaResult }>(event, UPDATE_SLA, { input: { ...input, id } })).updateSla
			: (await graphqlRequest<{ createSla: SlaResult }>(event, CREATE_SLA, { input })).createSla;
		const failure = adminFailure('sla', res, data);
		if (failure) return failure;
		redirect(303, `/admin/slas?saved=1${id ? `&edit=${id}#sla-form` : ''}`);
	},
	delete: async (event) => {
		const data = await event.request.formData();
		if (!checked(data, 'confirm')) return fieldFailure('delete', 'confirm', 'tick the box to delete', data);
		const res = await graphqlRequest<{ deleteSla: SlaResult }>(event, DELETE_SLA, { id: text(data, 'id') });
		const failure = adminFailure('delete', res.deleteSla);
		if (failure) return failure;
		redirect(303, '/admin/slas?deleted=1');
	},
	assign: async (event) => {
		const data = await event.request.formData();
		const slaId = text(data, 'slaId');
		const input = { slaId, queueId: optText(data, 'queueId'), priorityId: optText(data, 'priorityId'), ticketTypeId: optText(data, 'ticketTypeId') };
		const res = await graphqlRequest<{ assignSla: AssignmentResult }>(event, ASSIGN_SLA, { input });
		const failure = adminFailure('assign', res.assignSla, data);
		if (failure) return failure;
		redirect(303, `/admin/slas?edit=${slaId}&saved=1#sla-assignments`);
	},
	unassign: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ removeSlaAssignment: AssignmentResult }>(event, REMOVE_SLA_ASSIGNMENT, { id: text(data, 'id') });
		const failure = adminFailure('assign', res.removeSlaAssignment);
		if (failure) return failure;
		redirect(303, `/admin/slas?edit=${text(data, 'slaId')}&saved=1#sla-assignments`);
	}
};

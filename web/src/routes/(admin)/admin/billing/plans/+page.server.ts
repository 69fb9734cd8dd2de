import { redirect } from '@sveltejs/kit';
import { ADMIN_BILLING, SAVE_PACK, SAVE_PLAN, type AdminBillingResult, type SavePackResult, type SavePlanResult } from '#lib/graphql/billing.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, checked, invalidField, optInt, text } from '#lib/server/admin.ts';
import { centsOf } from '#lib/server/billing.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<AdminBillingResult>(event, ADMIN_BILLING);
	const editPlan = event.url.searchParams.get('plan');
	const editPack = event.url.searchParams.get('pack');
	return {
		...data,
		editingPlan: data.supportPlans.find((p) => p.id === editPlan) ?? null,
		editingPack: data.incidentPacks.find((p) => p.id === editPack) ?? null,
		saved: event.url.searchParams.get('saved')
	};
};

const MODES = ['FREE', 'PER_REQUEST', 'PREPAID'] as const;

export const actions: Actions = {
	/** Creates or edits a support plan (archive: active off). */
	plan: async (event) => {
		const data = await event.request.formData();
		const perRequestCents = centsOf(data, 'perRequestPrice');
		if (Number.isNaN(perRequestCents)) return invalidField('plan', 'perRequestCents', data);
		const registrationIncidents = optInt(data, 'registrationIncidents');
		if (Number.isNaN(registrationIncidents)) return invalidField('plan', 'registrationIncidents', data);
		const mode = MODES.find((m) => m === text(data, 'mode')) ?? 'PREPAID';
		const id = text(data, 'id') || undefined;
		const input = {
			id, name: text(data, 'name'), mode, perRequestCents: mode === 'PER_REQUEST' ? perRequestCents : null,
			registrationIncidents: registrationIncidents ?? 0, isDefault: checked(data, 'isDefault'), active: checked(data, 'active')
		};
		const res = await graphqlRequest<SavePlanResult>(event, SAVE_PLAN, { input });
		const failure = adminFailure('plan', res.saveSupportPlan, data);
		if (failure) return failure;
		redirect(303, '/admin/billing/plans?saved=plan');
	},
	/** Creates or edits an incident pack (archive: active off — no longer on sale). */
	pack: async (event) => {
		const data = await event.request.formData();
		const priceCents = centsOf(data, 'price');
		if (priceCents === null || Number.isNaN(priceCents)) return invalidField('pack', 'priceCents', data);
		const incidents = optInt(data, 'incidents');
		if (incidents === null || Number.isNaN(incidents)) return invalidField('pack', 'incidents', data);
		const kind = text(data, 'kind') === 'PERIOD' ? 'PERIOD' : 'LIFETIME';
		const periodDays = optInt(data, 'periodDays');
		if (Number.isNaN(periodDays)) return invalidField('pack', 'periodDays', data);
		const input = {
			id: text(data, 'id') || undefined, name: text(data, 'name'), incidents, kind, periodDays: kind === 'PERIOD' ? periodDays : null,
			priceCents, currency: text(data, 'currency').toLowerCase() || 'eur', active: checked(data, 'active')
		};
		const res = await graphqlRequest<SavePackResult>(event, SAVE_PACK, { input });
		const failure = adminFailure('pack', res.saveIncidentPack, data);
		if (failure) return failure;
		redirect(303, '/admin/billing/plans?saved=pack');
	},
	/** Archive (off sale) or restore a plan: the same plan saved with `active` flipped. */
	togglePlan: async (event) => {
		const data = await event.request.formData();
		const { supportPlans } = await graphqlRequest<AdminBillingResult>(event, ADMIN_BILLING);
		const p = supportPlans.find((x) => x.id === text(data, 'id'));
		if (!p) return adminFailure('plan', { __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Support plan not found' } as never);
		const input = { ...p, active: !p.active, isDefault: p.active ? false : p.isDefault };
		const res = await graphqlRequest<SavePlanResult>(event, SAVE_PLAN, { input });
		const failure = adminFailure('plan', res.saveSupportPlan);
		if (failure) return failure;
		redirect(303, `/admin/billing/plans?saved=${p.active ? 'archived' : 'restored'}`);
	},
	togglePack: async (event) => {
		const data = await event.request.formData();
		const { incidentPacks } = await graphqlRequest<AdminBillingResult>(event, ADMIN_BILLING);
		const p = incidentPacks.find((x) => x.id === text(data, 'id'));
		if (!p) return adminFailure('pack', { __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Incident pack not found' } as never);
		const res = await graphqlRequest<SavePackResult>(event, SAVE_PACK, { input: { ...p, active: !p.active } });
		const failure = adminFailure('pack', res.saveIncidentPack);
		if (failure) return failure;
		redirect(303, `/admin/billing/plans?saved=${p.active ? 'archived' : 'restored'}`);
	}
};

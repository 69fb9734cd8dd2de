import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	locale: locals.locale,
	tenant: locals.tenant,
	viewer: locals.viewer
		? { id: locals.viewer.id, name: locals.viewer.name, email: locals.viewer.email, kind: locals.viewer.kind, tenant: locals.viewer.tenant ?? null }
		: null
});

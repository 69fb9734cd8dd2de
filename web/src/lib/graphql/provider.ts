import { ERROR_FIELDS, type ApiErrorShape } from './common.ts';

// Provider operations authenticate with `Authorization: Bearer <PROVIDER_TOKEN>`, not a session.

export interface TenantRow {
	id: string;
	slug: string;
	name: string;
	plan: string;
	suspended: boolean;
	createdAt: string;
}

export const TENANTS = /* GraphQL */ `
	query Tenants { tenants { id slug name plan suspended createdAt } }
`;
export interface TenantsResult {
	tenants: TenantRow[];
}

export const ONBOARD_TENANT = /* GraphQL */ `
	mutation OnboardTenant($input: OnboardTenantInput!) {
		onboardTenant(input: $input) {
			__typename
			... on OnboardTenantSuccess { tenant { id slug name } }
			... on ValidationError { field }
			${ERROR_FIELDS}
		}
	}
`;
export interface OnboardTenantVariables {
	input: { slug: string; name: string; adminEmail: string; adminPassword: string; adminName?: string | null; plan?: string | null };
}
export type OnboardTenantPayload =
	| { __typename: 'OnboardTenantSuccess'; tenant: { id: string; slug: string; name: string } }
	| (ApiErrorShape & { __typename: 'ValidationError'; field: string | null })
	| ApiErrorShape;
export interface OnboardTenantResult {
	onboardTenant: OnboardTenantPayload;
}

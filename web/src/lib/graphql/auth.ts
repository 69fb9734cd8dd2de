import { ERROR_FIELDS, type ApiErrorShape, type ViewerKind } from './common.ts';

export interface Viewer {
	id: string;
	name: string;
	email: string;
	kind: ViewerKind;
	locale: string | null;
	/** The language the user saved; null when they never chose one */
	savedLocale?: string | null;
	tenant?: { slug: string; name: string } | null;
}

export const ME = /* GraphQL */ `
	query Me {
		me { id name email kind locale tenant { slug name } }
	}
`;
export interface MeResult {
	me: Viewer | null;
}

export const LOGIN = /* GraphQL */ `
	mutation Login($input: LoginInput!) {
		login(input: $input) {
			__typename
			... on LoginSuccess {
				token
				expiresAt
				viewer { id name email kind locale savedLocale }
			}
			... on RateLimitedError { retryAfterSeconds }
			${ERROR_FIELDS}
		}
	}
`;
export interface LoginVariables {
	input: { tenantSlug: string; email: string; password: string };
}
export type LoginPayload =
	| { __typename: 'LoginSuccess'; token: string; expiresAt: string | null; viewer: Viewer }
	| (ApiErrorShape & { __typename: 'RateLimitedError'; retryAfterSeconds: number })
	| (ApiErrorShape & { __typename: 'InvalidCredentialsError' | 'TenantSuspendedError' | 'ValidationError' })
	| ApiErrorShape;
export interface LoginResult {
	login: LoginPayload;
}

export const LOGOUT = /* GraphQL */ `
	mutation Logout { logout }
`;
export interface LogoutResult {
	logout: boolean;
}

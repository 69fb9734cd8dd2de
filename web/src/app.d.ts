import type { Viewer } from '#lib/graphql/auth.ts';
import type { Locale } from '#lib/i18n/index.ts';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
		}
		interface Locals {
			/** Tenant slug resolved from host, `/t/<slug>` prefix (remembered in a cookie) or PARLEY_DEFAULT_TENANT. */
			tenant: string | null;
			/** Session token from the httpOnly `parley_session` cookie; never sent to the browser. */
			sessionToken: string | null;
			/** The signed-in user, loaded through `me`; null when there is no (valid) session. */
			viewer: Viewer | null;
			/** Provider token from the httpOnly `parley_provider` cookie. */
			providerToken: string | null;
			locale: Locale;
		}
		interface PageData {
			locale: Locale;
		}
	}
}

export {};
